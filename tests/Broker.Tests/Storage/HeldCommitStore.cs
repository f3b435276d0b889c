using Broker.Grains.Storage;

namespace Broker.Tests.Storage;

/// <summary>
/// The embedded row store, except that the next commit touching a chosen owner's rows is held until the test fails it —
/// as a commit caught by a database outage hangs and then fails, while other calls reach the grain that made it.
/// </summary>
internal sealed class HeldCommitStore(IRowStore inner) : IRowStore
{
    private readonly Lock _lock = new();
    private (string Table, string Owner, TaskCompletionSource Reached, TaskCompletionSource Failure)? _held;

    /// <summary>Holds the next commit with a row of <paramref name="table"/>/<paramref name="owner"/>; completes when it arrives.</summary>
    public Task HoldNextCommitOf(string table, string owner)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            _held = (table, owner, reached, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        }

        return reached.Task;
    }

    /// <summary>The held commit fails as an unreachable database's would; nothing of it is applied.</summary>
    public void FailHeldCommit()
    {
        lock (_lock)
        {
            _held!.Value.Failure.TrySetException(new TimeoutException("the database did not answer (injected by the test)"));
            _held = null;
        }
    }

    public Task<StoredRow?> ReadAsync(RowKey key) => inner.ReadAsync(key);

    public Task<IReadOnlyList<StoredRow>> ReadOwnerAsync(string table, string owner) => inner.ReadOwnerAsync(table, owner);

    public Task<IReadOnlyList<StoredRow>> PageAsync(string table, string owner, string? tag, string? beforeKey, int limit) =>
        inner.PageAsync(table, owner, tag, beforeKey, limit);

    public Task CommitAsync(IReadOnlyList<RowWrite> writes)
    {
        lock (_lock)
        {
            if (_held is { } held && writes.Any(w => w.Key.Table == held.Table && w.Key.Owner == held.Owner) && !held.Reached.Task.IsCompleted)
            {
                held.Reached.TrySetResult();
                return held.Failure.Task;
            }
        }

        return inner.CommitAsync(writes);
    }
}
