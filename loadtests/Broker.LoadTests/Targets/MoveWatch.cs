using System.Collections.Concurrent;
using Broker.Domain;
using Broker.LoadTests.Demand;
using Broker.LoadTests.World;
using Broker.Requests;

namespace Broker.LoadTests.Targets;

/// <summary>
/// The in-process target, watched from the authorities' side during a drain: before each release it reads the
/// request as its authority would. A request that was moved must look exactly as it did when it was allocated — still
/// allocated, the same lease end — or its authority noticed the move. Counts the moved ones and lists who noticed.
/// </summary>
public sealed class MoveWatch(InProcessTarget inner) : IBrokerTarget
{
    private readonly ConcurrentDictionary<string, DateTimeOffset?> _leaseEnds = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _noticed = new();
    private int _moved;
    private int _released;

    public string Mode => inner.Mode;

    public string TrivialCallName => inner.TrivialCallName;

    /// <summary>Released requests whose allocation had moved at least once.</summary>
    public int Moved => Volatile.Read(ref _moved);

    /// <summary>Releases the watch saw.</summary>
    public int Released => Volatile.Read(ref _released);

    /// <summary>Requests whose authority would have seen a difference, each with what it saw.</summary>
    public IReadOnlyList<string> Noticed => _noticed.ToArray();

    public Task PrepareAsync(LoadWorld world, CancellationToken cancellationToken) => inner.PrepareAsync(world, cancellationToken);

    public async Task<Decision> RequestAsync(Arrival arrival, string key, bool isolated, CancellationToken cancellationToken) =>
        Remember(await inner.RequestAsync(arrival, key, isolated, cancellationToken));

    public async Task<Decision> ResolveAsync(Arrival arrival, string key, bool isolated, CancellationToken cancellationToken) =>
        Remember(await inner.ResolveAsync(arrival, key, isolated, cancellationToken));

    public async Task ReleaseAsync(Arrival arrival, string requestId, CancellationToken cancellationToken)
    {
        var seen = await inner.Grains.Reference<IRequestGrain>(requestId).GetAsync();
        if (seen is { Moves.Length: > 0 })
        {
            Interlocked.Increment(ref _moved);
        }

        // Each request is released once (a failed release is tried again, and looked at again): what it was given is forgotten then.
        var leaseEnd = _leaseEnds.GetValueOrDefault(requestId);
        if (seen?.State != RequestState.Allocated)
        {
            _noticed.Enqueue($"{requestId}: {seen?.State.ToString() ?? "gone"} before its release");
        }
        else if (seen.LeaseExpiresAt != leaseEnd)
        {
            _noticed.Enqueue($"{requestId}: lease end {leaseEnd:O} became {seen.LeaseExpiresAt:O}");
        }

        await inner.ReleaseAsync(arrival, requestId, cancellationToken);
        _leaseEnds.TryRemove(requestId, out _);
        Interlocked.Increment(ref _released);
    }

    public Task<CapacitySample> SampleCapacityAsync(LoadWorld world, CancellationToken cancellationToken) => inner.SampleCapacityAsync(world, cancellationToken);

    public Task TrivialCallAsync(CancellationToken cancellationToken) => inner.TrivialCallAsync(cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    private Decision Remember(Decision decision)
    {
        if (decision is { Kind: DecisionKind.Allocated, RequestId: { } id })
        {
            _leaseEnds[id] = decision.LeaseEnds;
        }

        return decision;
    }
}
