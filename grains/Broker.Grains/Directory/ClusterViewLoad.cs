namespace Broker.Grains.Directory;

/// <summary>
/// Whether this silo has loaded the federation and the capacity directory once. A silo is active in the cluster,
/// and hosts new grains, a moment before its first refresh: a request negotiated there before then would see an
/// empty federation and be answered <c>unsatisfiable</c>. Negotiations wait for the load instead.
/// </summary>
public sealed class ClusterViewLoad
{
    /// <summary>How long a negotiation waits for a silo that just started; longer, and it fails and is resumed later.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsLoaded => _loaded.Task.IsCompleted;

    public void MarkLoaded() => _loaded.TrySetResult();

    /// <summary>Returns once loaded; throws <see cref="TimeoutException"/> after <see cref="Patience"/>.</summary>
    public Task WhenLoadedAsync() => _loaded.Task.IsCompleted ? Task.CompletedTask : _loaded.Task.WaitAsync(Patience);
}
