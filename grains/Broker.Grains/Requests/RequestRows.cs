using Broker.Grains.Ledger;
using Broker.Grains.Storage;
using Broker.Grains.Tenants;
using Broker.Ledger;
using Orleans.Serialization;

namespace Broker.Grains.Requests;

/// <summary>
/// How a request is stored: its record as one row, version-checked (a stale activation's write loses), written in one
/// atomic commit with what the same transition changes elsewhere — its line in the tenant's index and, when it ends,
/// its ledger lines, and its lines in the index of running allocations (listed while allocated, gone with the end).
/// So a decision or an end is durable as a whole or not at all, and costs one commit.
/// </summary>
internal sealed class RequestRows(IRowStore rows, Serializer serializer, string requestId, TimeProvider time)
{
    public const string Table = "request";

    private readonly RecordRow<RequestRecord> _row = new(rows, serializer, new RowKey(Table, requestId, ""), time);
    private readonly RunningAllocationLines _running = new(serializer, requestId);

    public async Task<RequestRecord?> LoadAsync()
    {
        var record = await _row.LoadAsync();
        _running.Loaded(record);
        return record;
    }

    /// <summary>
    /// Stores that no request exists under this id (an empty row), so that an activation still negotiating it
    /// elsewhere — on a silo the cluster gave up on — can no longer store a decision: its write expects no row.
    /// Taken before a data center is told to release an allocation nobody stored; the request itself may still be
    /// asked for afresh (an empty row reads as none).
    /// </summary>
    public Task FenceAsync() => _row.FenceAsync();

    /// <summary>
    /// The stored record if another activation has written since this one last touched storage (this one is then
    /// stale: its silo was declared dead while it was cut off or paused); null when memory still holds what is stored.
    /// </summary>
    public Task<RequestRecord?> NewerStoredAsync() => _row.NewerStoredAsync();

    /// <summary>Stores the record, its index lines and <paramref name="charges"/> together. Takes all it writes before its first await.</summary>
    public async Task WriteAsync(RequestRecord record, IReadOnlyList<LedgerEntry> charges)
    {
        var writes = new List<RowWrite>(2 + (3 * charges.Count))
        {
            _row.Put(record),
            TenantRequestIndex.Line(serializer, requestId, record.Tenant, record.CreatedAt, record.State),
        };
        writes.AddRange(LedgerRows.Lines(serializer, charges));
        var (running, committed) = _running.For(record);
        writes.AddRange(running);
        await rows.CommitAsync(writes);
        _row.Wrote();
        committed();
    }
}
