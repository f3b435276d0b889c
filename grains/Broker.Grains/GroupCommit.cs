namespace Broker.Grains;

/// <summary>
/// Group commit for a reentrant grain: changes made while a state write is in flight are written
/// together by one next write, and every caller is answered only after the write that includes its
/// change has finished. Under a burst this turns one write per change into one write per round trip,
/// without ever acknowledging anything before it is durable. Use only from the grain's own scheduler.
/// </summary>
internal sealed class GroupCommit
{
    private readonly Func<Task> _write;
    private Task _inFlight = Task.CompletedTask;
    private Task? _next;

    private GroupCommit(Func<Task> write) => _write = write;

    /// <summary>
    /// Writes snapshots taken by <paramref name="snapshot"/>, never the grain's live collections: a storage
    /// provider may serialize off the grain's scheduler while the next (reentrant) turn already changes them.
    /// <paramref name="onFailure"/> runs when a write fails, before the callers see the failure.
    /// </summary>
    public static GroupCommit OfSnapshots<TState>(IPersistentState<TState> state, Func<TState> snapshot, Action? onFailure = null) =>
        new(async () =>
        {
            state.State = snapshot();
            try
            {
                await state.WriteStateAsync();
            }
            catch
            {
                onFailure?.Invoke();
                throw;
            }
        });

    /// <summary>
    /// For a grain whose write is more than one state write (the audit chain seals a segment first): <paramref name="write"/>
    /// must take what it writes from the grain's live state before its first await.
    /// </summary>
    public static GroupCommit Of(Func<Task> write) => new(write);

    /// <summary>Completes when a write that began after this call has finished.</summary>
    public Task CommitAsync()
    {
        if (_next is not null)
        {
            return _next;
        }

        if (_inFlight.IsCompleted)
        {
            _inFlight = _write();
            return _inFlight;
        }

        _next = WriteAfterAsync(_inFlight);
        return _next;
    }

    private async Task WriteAfterAsync(Task previous)
    {
        try
        {
            await previous;
        }
        catch
        {
            // The previous write's own callers see its failure; this write stands on its own.
        }

        _next = null;
        _inFlight = _write();
        await _inFlight;
    }
}
