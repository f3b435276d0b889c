using Broker.Grains.Ledger;
using Broker.Grains.Storage;
using Broker.Grains.Tenants;
using Broker.Ledger;
using Orleans.Serialization;

namespace Broker.Grains.Requests;

/// <summary>
/// How a request is stored: its record as one row, version-checked (a stale activation's write loses), written in one
/// atomic commit with what the same transition changes elsewhere — its line in the tenant's index and, when it ends,
/// its ledger lines. So a decision or an end is durable as a whole or not at all, and costs one commit.
/// </summary>
internal sealed class RequestRows(IRowStore rows, Serializer serializer, string requestId, TimeProvider time)
{
    public const string Table = "request";

    /// <summary>
    /// How long what this activation last read or wrote may be answered from memory. Shorter than the fastest a
    /// silo can be declared dead (two missed probes of a second each), so no other activation can have written
    /// meanwhile — unless this one runs on a silo that was cut off or paused, which a check then reveals.
    /// </summary>
    public static readonly TimeSpan FreshFor = TimeSpan.FromSeconds(1);

    private long _version;
    private long _confirmedAt = long.MinValue;

    private RowKey Key => new(Table, requestId, "");

    public async Task<RequestRecord?> LoadAsync()
    {
        var row = await rows.ReadAsync(Key);
        _version = row?.Version ?? 0;
        _confirmedAt = time.GetTimestamp();
        return Decode(row);
    }

    /// <summary>
    /// Stores that no request exists under this id (an empty row), so that an activation still negotiating it
    /// elsewhere — on a silo the cluster gave up on — can no longer store a decision: its write expects no row.
    /// Taken before a data center is told to release an allocation nobody stored; the request itself may still be
    /// asked for afresh (an empty row reads as none).
    /// </summary>
    public async Task FenceAsync()
    {
        await rows.CommitAsync([RowWrite.Put(Key, [], expectedVersion: _version)]);
        _version++;
        _confirmedAt = time.GetTimestamp();
    }

    /// <summary>
    /// The stored record if another activation has written since this one last touched storage (this one is then
    /// stale: its silo was declared dead while it was cut off or paused); null when memory still holds what is stored.
    /// Reads storage only when memory is older than <see cref="FreshFor"/>.
    /// </summary>
    public async Task<RequestRecord?> NewerStoredAsync()
    {
        if (time.GetElapsedTime(_confirmedAt) < FreshFor)
        {
            return null;
        }

        var known = _version;
        var row = await rows.ReadAsync(Key);
        if (row is null || row.Version == known || Decode(row) is not { } newer)
        {
            _confirmedAt = time.GetTimestamp();
            return null;
        }

        return newer;
    }

    /// <summary>Stores the record, its index line and <paramref name="charges"/> together. Takes all it writes before its first await.</summary>
    public async Task WriteAsync(RequestRecord record, IReadOnlyList<LedgerEntry> charges)
    {
        var writes = new List<RowWrite>(2 + (2 * charges.Count))
        {
            RowWrite.Put(Key, serializer.SerializeToArray(record), expectedVersion: _version),
            TenantRequestIndex.Line(serializer, requestId, record.Tenant, record.CreatedAt, record.State),
        };
        writes.AddRange(LedgerRows.Lines(serializer, charges));
        await rows.CommitAsync(writes);
        _version++;
        _confirmedAt = time.GetTimestamp();
    }

    // An empty row is a fence (no request under this id): it reads as none.
    private RequestRecord? Decode(StoredRow? row) =>
        row is null || row.Payload.Length == 0 ? null : serializer.Deserialize<RequestRecord>(row.Payload)!;
}
