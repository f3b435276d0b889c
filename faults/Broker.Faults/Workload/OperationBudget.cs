namespace Broker.Faults.Workload;

/// <summary>How many operations all clients may still start: a run stops by itself at its count or its time.</summary>
public sealed class OperationBudget(long operations)
{
    /// <summary>The second sender of a key sent twice at once is recorded as its own process (one call at a time each).</summary>
    public const int ShadowProcessOffset = 1000;

    private long _left = operations;

    public bool TryTake() => Interlocked.Decrement(ref _left) >= 0;
}
