using Broker.Grains.Storage;
using Broker.Ledger;
using Broker.Requests;
using Orleans.Serialization;

namespace Broker.Grains.Ledger;

/// <summary>
/// The index of allocations that run, laid out as the ledger is: one row per allocation under each party that takes
/// part in its charges — the tenant, its home provider, every other provider serving a part — and, when a part is
/// served away from home, under <see cref="BetweenProviders"/> for the settlement. A bill or statement reads only
/// its party's rows, so its cost is what that party has running, never what the federation has.
/// </summary>
public static class RunningAllocationRows
{
    public const string Table = "running-allocation";

    /// <summary>The owner listing every running allocation that one provider charges another for.</summary>
    public const string BetweenProviders = LedgerRows.BetweenProviders;

    /// <summary>Every owner an allocation is listed under while it runs.</summary>
    public static IReadOnlySet<string> Owners(string tenant, string homeProvider, Allocation allocation)
    {
        var owners = new SortedSet<string>(StringComparer.Ordinal) { Party.Tenant(tenant).ToString(), Party.Provider(homeProvider).ToString() };
        foreach (var part in allocation.Parts.Where(p => p.Provider != homeProvider))
        {
            owners.Add(Party.Provider(part.Provider).ToString());
            owners.Add(BetweenProviders);
        }

        return owners;
    }

    public static IReadOnlySet<string> Owners(RunningAllocation running) => Owners(running.Tenant, running.HomeProvider, running.Allocation);

    public static IEnumerable<RowWrite> Put(Serializer serializer, RunningAllocation running)
    {
        var payload = serializer.SerializeToArray(running);
        return Owners(running).Select(owner => RowWrite.Put(new RowKey(Table, owner, running.RequestId), payload));
    }

    public static IEnumerable<RowWrite> Delete(string requestId, IEnumerable<string> owners) =>
        owners.Select(owner => RowWrite.Delete(new RowKey(Table, owner, requestId)));

    /// <summary>The running allocations one party takes part in.</summary>
    public static Task<RunningAllocation[]> ReadAsync(IRowStore rows, Serializer serializer, Party party) =>
        ReadOwnerAsync(rows, serializer, party.ToString());

    /// <summary>The running allocations with a part served by another provider than the tenant's home.</summary>
    public static Task<RunningAllocation[]> ReadBetweenProvidersAsync(IRowStore rows, Serializer serializer) =>
        ReadOwnerAsync(rows, serializer, BetweenProviders);

    private static async Task<RunningAllocation[]> ReadOwnerAsync(IRowStore rows, Serializer serializer, string owner) =>
        (await rows.ReadOwnerAsync(Table, owner)).Select(r => serializer.Deserialize<RunningAllocation>(r.Payload)!).ToArray();
}
