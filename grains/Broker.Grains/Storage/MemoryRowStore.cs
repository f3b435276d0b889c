namespace Broker.Grains.Storage;

/// <summary>
/// The embedded mode's store: rows in this process, nothing durable. One lock orders every commit, so a commit is
/// atomic as in PostgreSQL. An owner's rows are a hash map with a sorted set of keys beside it: a write costs
/// O(log n) of the owner's rows, never a copy or shift of them.
/// </summary>
/// <remarks>Rows live only in this process: several silos would each see their own. Use PostgreSQL for a cluster.</remarks>
public sealed class MemoryRowStore : IRowStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Table, string Owner), OwnerRows> _owners = [];

    public Task<StoredRow?> ReadAsync(RowKey key)
    {
        lock (_lock)
        {
            return Task.FromResult(Find(key));
        }
    }

    public Task<IReadOnlyList<StoredRow>> ReadOwnerAsync(string table, string owner)
    {
        lock (_lock)
        {
            IReadOnlyList<StoredRow> rows = _owners.TryGetValue((table, owner), out var found) ? [.. found.Keys.Select(k => found.Rows[k])] : [];
            return Task.FromResult(rows);
        }
    }

    public Task<IReadOnlyList<StoredRow>> PageAsync(string table, string owner, string? tag, string? beforeKey, int limit)
    {
        lock (_lock)
        {
            var page = new List<StoredRow>(Math.Min(limit, 256));
            if (_owners.TryGetValue((table, owner), out var found) && found.Keys.Count > 0
                && (beforeKey is null || string.CompareOrdinal(found.Keys.Min, beforeKey) < 0))
            {
                var keys = beforeKey is null ? found.Keys : found.Keys.GetViewBetween(found.Keys.Min!, beforeKey);
                foreach (var key in keys.Reverse())
                {
                    if (page.Count == limit)
                    {
                        break;
                    }

                    var row = found.Rows[key];
                    if ((beforeKey is null || string.CompareOrdinal(key, beforeKey) < 0) && (tag is null || row.Tag == tag))
                    {
                        page.Add(row);
                    }
                }
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
                var stored = versions.TryGetValue(write.Key, out var seen) ? seen : Find(write.Key)?.Version;
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
        var owner = (write.Key.Table, write.Key.Owner);
        if (write.Op == RowOp.Delete)
        {
            if (_owners.TryGetValue(owner, out var rows) && rows.Rows.Remove(write.Key.Key))
            {
                rows.Keys.Remove(write.Key.Key);
                if (rows.Rows.Count == 0)
                {
                    _owners.Remove(owner);
                }
            }

            return;
        }

        if (!_owners.TryGetValue(owner, out var ownerRows))
        {
            ownerRows = new OwnerRows();
            _owners[owner] = ownerRows;
        }

        var version = 1L;
        if (ownerRows.Rows.TryGetValue(write.Key.Key, out var current))
        {
            version = current.Version + 1;
        }
        else
        {
            ownerRows.Keys.Add(write.Key.Key);
        }

        ownerRows.Rows[write.Key.Key] = new StoredRow(write.Key, write.Payload!, version, write.Tag);
    }

    private StoredRow? Find(RowKey key) =>
        _owners.TryGetValue((key.Table, key.Owner), out var rows) && rows.Rows.TryGetValue(key.Key, out var row) ? row : null;

    private sealed class OwnerRows
    {
        public Dictionary<string, StoredRow> Rows { get; } = new(StringComparer.Ordinal);

        public SortedSet<string> Keys { get; } = new(StringComparer.Ordinal);
    }
}
