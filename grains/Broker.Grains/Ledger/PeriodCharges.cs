using Broker.Grains.Storage;
using Broker.Ledger;
using Orleans.Serialization;

namespace Broker.Grains.Ledger;

/// <summary>A charge as a bill shows it: a ledger line, posted or accrued up to now; <see cref="Running"/> while its allocation runs.</summary>
public sealed record Charge(LedgerEntry Entry, bool Running);

/// <summary>
/// The charges of one period as a bill must show them: the ledger's lines of the allocations that ended, and those of
/// the allocations that still run, accrued up to now and split at month boundaries as their end will post them.
/// Reads one owner of the running index and one month of the ledger, nothing else.
/// </summary>
public static class PeriodCharges
{
    /// <summary>
    /// Every charge <paramref name="party"/> pays or is paid in <paramref name="period"/>. Costs the party's running
    /// allocations plus its ledger lines of that month: what it has, never what the federation has.
    /// </summary>
    public static async Task<IReadOnlyList<Charge>> OfAsync(IRowStore rows, Serializer serializer, Party party, string period, DateTimeOffset now)
    {
        // The running index first, the ledger second: an allocation that ends in between is then in both, and is
        // taken from the ledger (below); read the other way round, it could be in neither.
        var running = await RunningAllocationRows.ReadAsync(rows, serializer, party);
        var posted = await LedgerRows.ReadAsync(rows, serializer, party, period);
        return Merge(posted, running, period, now, e => e.Payer == party || e.Payee == party);
    }

    /// <summary>
    /// Every charge between two providers in <paramref name="period"/>. Costs the running allocations served away
    /// from home plus the month's lines between providers (not the tenants' lines).
    /// </summary>
    public static async Task<IReadOnlyList<Charge>> BetweenProvidersAsync(IRowStore rows, Serializer serializer, string period, DateTimeOffset now)
    {
        var running = await RunningAllocationRows.ReadBetweenProvidersAsync(rows, serializer);
        var posted = await LedgerRows.ReadBetweenProvidersAsync(rows, serializer, period);
        return Merge(posted, running, period, now, LedgerRows.IsBetweenProviders);
    }

    private static List<Charge> Merge(LedgerEntry[] posted, RunningAllocation[] running, string period, DateTimeOffset now, Func<LedgerEntry, bool> belongs)
    {
        // A running allocation is in the ledger once its end posted it: lines of its request from its own start on. A
        // moved request's earlier stretches were posted by its moves and end where the running one begins: they do not
        // make the running stretch count as ended (its accrued part used to be left out of the bill after a move).
        var postedUntil = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var e in posted)
        {
            postedUntil[e.RequestId] = postedUntil.TryGetValue(e.RequestId, out var to) && to >= e.To ? to : e.To;
        }

        var charges = posted.Select(e => new Charge(e, Running: false)).ToList();
        foreach (var allocation in running.Where(r => !(postedUntil.TryGetValue(r.RequestId, out var to) && to > r.Since)))
        {
            var runs = allocation.RunsAt(now);
            charges.AddRange(allocation.ChargesUpTo(now).Where(e => e.Period == period && belongs(e)).Select(e => new Charge(e, runs)));
        }

        return charges;
    }
}
