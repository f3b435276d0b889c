using Broker.Grains.Storage;
using Broker.Grains.Tenants;
using Orleans.Serialization;

namespace Broker.Grains.Reservations;

/// <summary>
/// How a reservation is stored: its record as one row, version-checked, written in one commit with its line in the
/// tenant's index of reservations — so a decision is durable as a whole, and a stale activation's write loses.
/// </summary>
public sealed class ReservationRows(IRowStore rows, Serializer serializer, string reservationId, TimeProvider time)
{
    public const string Table = "reservation";
    public const string IndexTable = "tenant-reservation";

    private readonly RecordRow<ReservationRecord> _row = new(rows, serializer, new RowKey(Table, reservationId, ""), time);

    public Task<ReservationRecord?> LoadAsync() => _row.LoadAsync();

    /// <summary>Stores that no reservation exists under this id, so that a booking still in flight elsewhere cannot be stored any more.</summary>
    public Task FenceAsync() => _row.FenceAsync();

    public async Task WriteAsync(ReservationRecord record)
    {
        await rows.CommitAsync(
        [
            _row.Put(record),
            TenantRequestIndex.Line(serializer, reservationId, record.Tenant, record.CreatedAt, record.State.ToString(), IndexTable),
        ]);
        _row.Wrote();
    }
}
