using Broker.Audit;
using Broker.DataCenters;
using Broker.Grains.Storage;
using Orleans.Serialization;

namespace Broker.Grains.DataCenters;

/// <summary>
/// How a data center is stored: a head row (registration and audit outbox, small) and one row per allocation. A write
/// stores the head and only the allocations that changed, so a confirm costs the same at ten allocations as at a
/// million. The head's version guards the data center: an activation that lost a race (two activations during a
/// membership change) fails its next write and steps down, and none of its allocation rows are written.
/// </summary>
internal sealed class DataCenterRows(IRowStore rows, Serializer serializer, string dataCenter, TimeProvider time)
{
    public const string HeadTable = "datacenter";
    public const string AllocationTable = "allocation";

    private readonly GuardedRow _head = new(rows, new RowKey(HeadTable, dataCenter, ""), time);
    private byte[]? _headBytes;
    private DataCenterHead? _headWritten;

    public async Task<(DataCenterHead Head, List<KeyValuePair<string, StoredAllocation>> Allocations)> LoadAsync()
    {
        var head = await _head.LoadAsync();
        var loaded = head is null ? new DataCenterHead() : serializer.Deserialize<DataCenterHead>(head.Payload)!;
        var allocations = (await rows.ReadOwnerAsync(AllocationTable, dataCenter))
            .Select(r => KeyValuePair.Create(r.Key.Key, serializer.Deserialize<StoredAllocation>(r.Payload)!))
            .ToList();
        return (loaded, allocations);
    }

    /// <summary>Stores the head and the changed allocations in one atomic commit. Takes everything it writes before its first await.</summary>
    public async Task WriteAsync(DataCenterHead head, KeyValuePair<string, StoredAllocation?>[] changes)
    {
        // The head changes rarely (pool changes, audit events): its bytes are reused until it does.
        if (!ReferenceEquals(head, _headWritten))
        {
            _headBytes = serializer.SerializeToArray(head);
            _headWritten = head;
        }

        var writes = new List<RowWrite>(changes.Length + 1) { RowWrite.Put(_head.Key, _headBytes!, expectedVersion: _head.Version) };
        foreach (var (requestId, allocation) in changes)
        {
            var key = new RowKey(AllocationTable, dataCenter, requestId);
            writes.Add(allocation is null ? RowWrite.Delete(key) : RowWrite.Put(key, serializer.SerializeToArray(allocation)));
        }

        await rows.CommitAsync(writes);
        _head.Wrote();
    }

    /// <summary>
    /// Whether another activation of this data center has written since this one last read or wrote (this one then
    /// runs on a silo that was cut off or paused): a conflict naming the head row, so the caller answers 503 and its
    /// retry reaches the true activation. Reads storage only when memory is no longer fresh, unless
    /// <paramref name="evenIfFresh"/>.
    /// </summary>
    public async Task<RowConflictException?> OvertakenAsync(bool evenIfFresh = false) =>
        await _head.NewerStoredAsync(evenIfFresh) is { } newer ? new RowConflictException(_head.Key, _head.Version, newer.Version) : null;
}

/// <summary>A data center's head row. Immutable: a change is a new instance, so the grain knows when to serialize it again.</summary>
[GenerateSerializer, Immutable, Alias("broker.data-center-head")]
public sealed record DataCenterHead
{
    [Id(0)] public DataCenterRegistration? Registration { get; init; }

    /// <summary>Audit events of pool changes not yet known to be in the trail (<see cref="Audit.AuditOutbox"/>).</summary>
    [Id(1)] public AuditEvent[] AuditPending { get; init; } = [];

    /// <summary>Told by its drain: it takes no new holds or allocations while set.</summary>
    [Id(2)] public bool Draining { get; init; }

    /// <summary>Allocations given up to moves since the drain began: written with each release it counts.</summary>
    [Id(3)] public long MovedAway { get; init; }
}
