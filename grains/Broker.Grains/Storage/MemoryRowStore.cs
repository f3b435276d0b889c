namespace Broker.Grains.Storage;

/// <summary>
/// The embedded mode's store: rows in this process, nothing durable. One lock orders every commit, so a commit is
/// atomic as in PostgreSQL. Every row is in one hash map; an owner of several rows also has a sorted set of its keys, so
/// a write costs O(log n) of the owner's rows, never a copy or shift of them. A row with the empty key is its owner's
/// only row by convention (a request's record, a grain's state): it gets no sorted set, which would cost more than the row.
/// </summary>
/// <remarks>Rows live only in this process: several silos would each see their own. Use PostgreSQL for a cluster.</remarks>
public sealed class MemoryRowStore : IRowStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<RowKey, StoredRow> _rows = [];
    private readonly Dictionary<(string Table, string Owner), SortedSet<string>> _ownerKeys = [];

    public Task<StoredRow?> ReadAsync(RowKey key)
    {
        lock (_lock)
        {
            return Task.FromResult(_rows.GetValueOrDefault(key));
        }
    }

    public Task<IReadOnlyList<StoredRow>> ReadOwnerAsync(string table, string owner)
    {
        lock (_lock)
        {
            var rows = new List<StoredRow>();
            if (_rows.TryGetValue(new RowKey(table, owner, ""), out var only))
            {
                rows.Add(only);
            }

            if (_ownerKeys.TryGetValue((table, owner), out var keys))
            {
                rows.AddRange(keys.Select(k => _rows[new RowKey(table, owner, k)]));
            }

            return Task.FromResult<IReadOnlyList<StoredRow>>(rows);
        }
    }

    public Task<IReadOnlyList<StoredRow>> PageAsync(string table, string owner, string? tag, string? beforeKey, int limit)
    {
        lock (_lock)
        {
            var page = new List<StoredRow>(Math.Min(limit, 256));
            if (_ownerKeys.TryGetValue((table, owner), out var keys) && (beforeKey is null || string.CompareOrdinal(keys.Min, beforeKey) < 0))
            {
                var below = beforeKey is null ? keys : keys.GetViewBetween(keys.Min!, beforeKey);
                foreach (var key in below.Reverse())
                {
                    if (page.Count == limit)
                    {
                        break;
                    }

                    var row = _rows[new RowKey(table, owner, key)];
                    if ((beforeKey is null || string.CompareOrdinal(key, beforeKey) < 0) && (tag is null || row.Tag == tag))
                    {
                        page.Add(row);
                    }
                }
            }

            // The empty key sorts before every other: last in a descending page.
            if (page.Count < limit && beforeKey is not "" && _rows.TryGetValue(new RowKey(table, owner, ""), out var only) && (tag is null || only.Tag == tag))
            {
                page.Add(only);
            }

            return Task.FromResult<IReadOnlyList<StoredRow>>(page);
        }
    }

    public Task CommitAsync(IReadOnlyList<RowWrite> writes)
    {
        lock (_lock)
        {
            // Check every expectation against the state the commit would see at its turn, then apply all.
            var versions = new Dictionary<RowKey, long?>();
            foreach (var write in writes)
            {
                var stored = versions.TryGetValue(write.Key, out var seen) ? seen : _rows.GetValueOrDefault(write.Key)?.Version;
                if (write.ExpectedVersion is { } expected && (stored ?? 0) != expected)
                {
                    return Task.FromException(new RowConflictException(write.Key, expected, stored));
                }

                versions[write.Key] = write.Op == RowOp.Put ? (stored ?? 0) + 1 : null;
            }

            foreach (var write in writes)
            {
                Apply(write);
            }
        }

        return Task.CompletedTask;
    }

    private void Apply(RowWrite write)
    {
        var key = write.Key;
        if (write.Op == RowOp.Delete)
        {
            if (_rows.Remove(key) && key.Key.Length > 0 && _ownerKeys.TryGetValue((key.Table, key.Owner), out var keys))
            {
                keys.Remove(key.Key);
                if (keys.Count == 0)
                {
                    _ownerKeys.Remove((key.Table, key.Owner));
                }
            }

            return;
        }

        if (_rows.TryGetValue(key, out var current))
        {
            _rows[key] = new StoredRow(key, write.Payload!, current.Version + 1, write.Tag);
            return;
        }

        _rows[key] = new StoredRow(key, write.Payload!, 1, write.Tag);
        if (key.Key.Length > 0)
        {
            if (!_ownerKeys.TryGetValue((key.Table, key.Owner), out var keys))
            {
                keys = new SortedSet<string>(StringComparer.Ordinal);
                _ownerKeys[(key.Table, key.Owner)] = keys;
            }

            keys.Add(key.Key);
        }
    }
}
