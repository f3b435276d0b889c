using Orleans.Serialization;

namespace Broker.Grains.Storage;

/// <summary>
/// A grain's one record as a version-checked row (<see cref="GuardedRow"/>) that can also be fenced: an empty row
/// stands for "nothing stored under this id" — written before a data center is told to drop what nobody stored, so an
/// activation still deciding elsewhere (on a silo the cluster gave up on) can no longer store its decision.
/// </summary>
internal sealed class RecordRow<TRecord>(IRowStore rows, Serializer serializer, RowKey key, TimeProvider time)
    where TRecord : class
{
    private readonly GuardedRow _row = new(rows, key, time);

    public async Task<TRecord?> LoadAsync() => Decode(await _row.LoadAsync());

    /// <summary>Stores that nothing exists under this id; the next write of another activation that expected none fails.</summary>
    public async Task FenceAsync()
    {
        await rows.CommitAsync([RowWrite.Put(_row.Key, [], expectedVersion: _row.Version)]);
        _row.Wrote();
    }

    /// <summary>The stored record if another activation has written since this one last touched storage; null while memory holds what is stored.</summary>
    public async Task<TRecord?> NewerStoredAsync() => await _row.NewerStoredAsync() is { } row ? Decode(row) : null;

    /// <summary>The record's write, expecting the version last read or written; <see cref="Wrote"/> once its commit went through.</summary>
    public RowWrite Put(TRecord record) => RowWrite.Put(_row.Key, serializer.SerializeToArray(record), expectedVersion: _row.Version);

    public void Wrote() => _row.Wrote();

    // An empty row is a fence: it reads as none.
    private TRecord? Decode(StoredRow? row) => row is null || row.Payload.Length == 0 ? null : serializer.Deserialize<TRecord>(row.Payload)!;
}
