namespace Broker.Ledger;

/// <summary>
/// The charges one party (a provider or a tenant) took part in during one billing period. Key:
/// <see cref="LedgerKeys.For"/>. One grain per party and month keeps the ledger off every request's path.
/// </summary>
[Alias("broker.ILedgerGrain")]
public interface ILedgerGrain : IGrainWithStringKey
{
    /// <summary>Records the entries; an entry whose id is already recorded is ignored.</summary>
    [Alias("PostAsync")]
    Task PostAsync(LedgerEntry[] entries);

    [Alias("GetEntriesAsync")]
    Task<LedgerEntry[]> GetEntriesAsync();
}

public static class LedgerKeys
{
    public static string For(Party party, string period) => $"{party}:{period}";

    /// <summary>Billing periods are calendar months in UTC, written <c>yyyy-MM</c>.</summary>
    public static string PeriodOf(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
}
