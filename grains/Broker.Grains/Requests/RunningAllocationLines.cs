using Broker.Domain;
using Broker.Grains.Ledger;
using Broker.Grains.Storage;
using Orleans.Serialization;

namespace Broker.Grains.Requests;

/// <summary>
/// Keeps a request's lines in the running-allocation index (<see cref="RunningAllocationRows"/>) in step with its
/// record: listed while allocated, rewritten when the lease or the allocation changes, gone in the commit that
/// ends it. It writes only what changed since this activation last stored them, so an allocated request's other
/// writes (an audit acknowledgement, say) cost no index rows.
/// </summary>
internal sealed class RunningAllocationLines(Serializer serializer, string requestId)
{
    // What this activation stored; null when it stored none (or has not yet, after a load).
    private RunningAllocation? _stored;

    // Whether lines may be stored that this activation did not write: a loaded allocated request's.
    private bool _storedBefore;

    public void Loaded(RequestRecord? record) => _storedBefore = record?.State == RequestState.Allocated;

    /// <summary>The writes that bring the index in line with <paramref name="record"/>, and what to remember once they are committed.</summary>
    public (IReadOnlyList<RowWrite> Writes, Action Committed) For(RequestRecord record)
    {
        // Since the last move, if a drain moved it: the stretches before are charged (posted) by their moves.
        var wanted = record is { State: RequestState.Allocated, Allocation: { } allocation, HeldSince: { } since, LeaseExpiresAt: { } until }
            ? new RunningAllocation { RequestId = requestId, Tenant = record.Tenant, HomeProvider = record.HomeProvider, Allocation = allocation, Since = since, Until = until, Stretch = record.Stretch }
            : null;
        if (wanted is not null && _stored is { } stored && Same(stored, wanted))
        {
            return ([], () => { });
        }

        // A loaded allocated request is written once in full (an allocation stored before this index existed gets its lines then).
        var gone = new SortedSet<string>(StringComparer.Ordinal);
        if (_stored is not null)
        {
            gone.UnionWith(RunningAllocationRows.Owners(_stored));
        }

        if (_storedBefore && record.Allocation is { } before)
        {
            gone.UnionWith(RunningAllocationRows.Owners(record.Tenant, record.HomeProvider, before));
        }

        if (wanted is null && gone.Count == 0)
        {
            return ([], () => { });
        }

        var writes = new List<RowWrite>();
        if (wanted is not null)
        {
            gone.ExceptWith(RunningAllocationRows.Owners(wanted));
            writes.AddRange(RunningAllocationRows.Put(serializer, wanted));
        }

        writes.AddRange(RunningAllocationRows.Delete(requestId, gone));
        return (writes, () => (_stored, _storedBefore) = (wanted, false));
    }

    private static bool Same(RunningAllocation stored, RunningAllocation wanted) =>
        ReferenceEquals(stored.Allocation, wanted.Allocation) && stored.Since == wanted.Since && stored.Until == wanted.Until && stored.Stretch == wanted.Stretch
        && stored.Tenant == wanted.Tenant && stored.HomeProvider == wanted.HomeProvider;
}
