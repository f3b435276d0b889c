namespace Broker.Ledger;

/// <summary>Billing periods.</summary>
public static class LedgerKeys
{
    /// <summary>Billing periods are calendar months in UTC, written <c>yyyy-MM</c>.</summary>
    public static string PeriodOf(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
}
