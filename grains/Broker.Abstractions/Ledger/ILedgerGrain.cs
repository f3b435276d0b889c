namespace Broker.Ledger;

/// <summary>
/// One shard of the charges one party (a provider or a tenant) took part in during one billing period.
/// Key: <see cref="LedgerKeys.For"/>. Grains per party, month and shard keep the ledger off every request's
/// path, and keep each grain's state — written whole on every post — a sixteenth of the month's entries.
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
    /// <summary>How many grains share one party's month. Changing it orphans the ledgers already written.</summary>
    public const int Shards = 16;

    public static string For(Party party, string period, int shard) => $"{party}:{period}:{shard:D2}";

    /// <summary>Every shard of a party's month, to read its whole ledger.</summary>
    public static IEnumerable<string> AllFor(Party party, string period) => Enumerable.Range(0, Shards).Select(shard => For(party, period, shard));

    /// <summary>All entries of one request land in the same shard, so posting them again is recognised as a repeat.</summary>
    public static int ShardOf(string requestId) => StableShard.Of(requestId, Shards);

    /// <summary>Billing periods are calendar months in UTC, written <c>yyyy-MM</c>.</summary>
    public static string PeriodOf(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
}
