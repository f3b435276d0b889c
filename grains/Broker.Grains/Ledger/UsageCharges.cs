using Broker.Ledger;
using Broker.Requests;

namespace Broker.Grains.Ledger;

/// <summary>
/// Turns an ended allocation into ledger entries: amount × hours × price per part, split at month
/// boundaries. Two legs per part: the tenant pays its home provider; where another provider served,
/// the home provider pays that one the same sum — so what serving providers charge equals what home providers are charged.
/// A request a drain moved is charged per stretch: <c>stretch</c> numbers the stretch (0 up to the first
/// move), so each stretch's lines have ids of their own.
/// </summary>
internal static class UsageCharges
{
    public static IReadOnlyList<LedgerEntry> For(string requestId, string tenant, string homeProvider, Allocation allocation, DateTimeOffset from, DateTimeOffset to, int stretch = 0)
    {
        var prefix = stretch == 0 ? "" : $"s{stretch}/";
        var entries = new List<LedgerEntry>();
        foreach (var (part, index) in allocation.Parts.Select((p, i) => (p, i)))
        {
            foreach (var (start, end) in SplitByMonth(from, to))
            {
                var period = LedgerKeys.PeriodOf(start);
                var cost = part.Amount * part.PricePerUnitHour * Hours(start, end);
                LedgerEntry Leg(string leg, Party payer, Party payee) => new()
                {
                    Id = $"{requestId}/{prefix}{index}/{period}/{leg}",
                    Period = period,
                    RequestId = requestId,
                    Tenant = tenant,
                    Payer = payer,
                    Payee = payee,
                    DataCenter = part.DataCenter,
                    Resource = part.Resource,
                    Amount = part.Amount,
                    From = start,
                    To = end,
                    PricePerUnitHour = part.PricePerUnitHour,
                    Cost = cost,
                };

                entries.Add(Leg("tenant", Party.Tenant(tenant), Party.Provider(homeProvider)));
                if (part.Provider != homeProvider)
                {
                    entries.Add(Leg("provider", Party.Provider(homeProvider), Party.Provider(part.Provider)));
                }
            }
        }

        return entries;
    }

    /// <summary>Exact hours as a decimal (ticks are exact), so that sums balance to the last digit.</summary>
    public static decimal Hours(DateTimeOffset from, DateTimeOffset to) => (decimal)(to - from).Ticks / TimeSpan.TicksPerHour;

    public static IEnumerable<(DateTimeOffset From, DateTimeOffset To)> SplitByMonth(DateTimeOffset from, DateTimeOffset to)
    {
        var start = from.ToUniversalTime();
        var end = to.ToUniversalTime();
        while (start < end)
        {
            var nextMonth = new DateTimeOffset(start.Year, start.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1);
            var pieceEnd = nextMonth < end ? nextMonth : end;
            yield return (start, pieceEnd);
            start = pieceEnd;
        }
    }
}
