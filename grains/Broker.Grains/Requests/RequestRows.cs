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
internal sealed class RequestRows(IRowStore rows, Serializer serializer, string requestId)
{
    public const string Table = "request";

    private long _version;

    private RowKey Key => new(Table, requestId, "");

    public async Task<RequestRecord?> LoadAsync()
    {
        var row = await rows.ReadAsync(Key);
        _version = row?.Version ?? 0;
        return row is null ? null : serializer.Deserialize<RequestRecord>(row.Payload)!;
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
    }
}
