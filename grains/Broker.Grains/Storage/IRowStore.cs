namespace Broker.Grains.Storage;

/// <summary>
/// Where the broker keeps what it must not lose: small rows addressed by table, owner and key. A grain writes
/// what changed — one allocation, one ledger line, one index entry — never a whole growing collection, so a
/// write costs the same whether an owner holds ten rows or a million. A commit is atomic (all its writes or none)
/// and durable before it completes; commits of many grains arriving together share one round trip and one flush.
/// </summary>
public interface IRowStore
{
    /// <summary>One row, or null when none is stored under the key.</summary>
    Task<StoredRow?> ReadAsync(RowKey key);

    /// <summary>Every row of an owner, by key ascending (a grain's activation reads its rows once).</summary>
    Task<IReadOnlyList<StoredRow>> ReadOwnerAsync(string table, string owner);

    /// <summary>
    /// Up to <paramref name="limit"/> rows of an owner by key descending, only those with <paramref name="tag"/>
    /// when it is given, and only keys ordinally below <paramref name="beforeKey"/> when it is given.
    /// </summary>
    Task<IReadOnlyList<StoredRow>> PageAsync(string table, string owner, string? tag, string? beforeKey, int limit);

    /// <summary>
    /// Applies the writes atomically and durably. When an expected version does not hold, nothing of this commit is
    /// applied and it throws <see cref="RowConflictException"/>; other callers' commits are not affected.
    /// </summary>
    Task CommitAsync(IReadOnlyList<RowWrite> writes);
}

/// <summary>Addresses one row. <see cref="Key"/> orders an owner's rows (ordinal comparison).</summary>
[GenerateSerializer, Immutable, Alias("broker.row-key")]
public readonly record struct RowKey([property: Id(0)] string Table, [property: Id(1)] string Owner, [property: Id(2)] string Key)
{
    public override string ToString() => $"{Table}/{Owner}/{Key}";
}

/// <summary>A row as stored: its bytes (Orleans binary serializer), its version (1 at the first write) and an optional tag to filter pages by.</summary>
public sealed record StoredRow(RowKey Key, byte[] Payload, long Version, string? Tag);

public enum RowOp
{
    Put = 0,
    Delete = 1,
}

/// <summary>
/// One change in a commit. <see cref="ExpectedVersion"/>: null writes whatever is stored; 0 requires that nothing is
/// stored; n requires version n. A put stores version (stored version + 1), or 1 for a new row.
/// </summary>
public sealed record RowWrite(RowKey Key, RowOp Op, byte[]? Payload, string? Tag, long? ExpectedVersion)
{
    public static RowWrite Put(RowKey key, byte[] payload, string? tag = null, long? expectedVersion = null) => new(key, RowOp.Put, payload, tag, expectedVersion);

    public static RowWrite Delete(RowKey key, long? expectedVersion = null) => new(key, RowOp.Delete, null, null, expectedVersion);
}
