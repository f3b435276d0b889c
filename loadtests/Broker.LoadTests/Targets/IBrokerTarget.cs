using Broker.LoadTests.Demand;
using Broker.LoadTests.World;

namespace Broker.LoadTests.Targets;

/// <summary>How a request ended for the harness.</summary>
public enum DecisionKind
{
    Allocated,
    Rejected,

    /// <summary>Not decided within the harness's wait (the broker answered 202 and kept negotiating).</summary>
    Pending,

    /// <summary>The call failed (unreachable, unavailable through every retry); the request may or may not exist.</summary>
    Failed,
}

/// <summary>The outcome of one request: for allocations the tier, provider and data centers; for rejections the code.</summary>
public sealed record Decision(DecisionKind Kind, string? RequestId, string? Tier = null, string? Provider = null, int Parts = 0, string? Code = null)
{
    /// <summary>When an allocation's lease ends, where the target says so: a drain must not change it.</summary>
    public DateTimeOffset? LeaseEnds { get; init; }

    public static Decision Failed(string code) => new(DecisionKind.Failed, null, Code: code);
}

/// <summary>Capacity across the load world at one moment.</summary>
/// <param name="Utilisation">Per provider: the mean of its pools' allocated share of capacity (pools of different units weigh alike).</param>
/// <param name="OvercommittedPools">Pools whose allocated and held units exceed what they may give out: must always be zero.</param>
/// <param name="Allocated">Units allocated in all pools together.</param>
/// <param name="Pools">How many pools were read.</param>
public sealed record CapacitySample(IReadOnlyDictionary<string, double> Utilisation, int OvercommittedPools, long Allocated, int Pools);

/// <summary>
/// A broker the harness drives: over HTTP through the client library, or embedded in this process through
/// the Orleans client. Both take the same plan, so their figures compare.
/// </summary>
public interface IBrokerTarget : IAsyncDisposable
{
    /// <summary><c>http</c> or <c>in-process</c>.</summary>
    string Mode { get; }

    /// <summary>Makes the load world known (upsert, or a fresh embedded broker) and waits until every data center is in the directory.</summary>
    Task PrepareAsync(LoadWorld world, CancellationToken cancellationToken);

    /// <summary>Asks for the arrival's capacity and waits for the decision. <paramref name="key"/> is the idempotency key.</summary>
    Task<Decision> RequestAsync(Arrival arrival, string key, bool isolated, CancellationToken cancellationToken);

    /// <summary>Finds out what became of a request whose call failed or stayed pending (same key, same body).</summary>
    Task<Decision> ResolveAsync(Arrival arrival, string key, bool isolated, CancellationToken cancellationToken);

    Task ReleaseAsync(Arrival arrival, string requestId, CancellationToken cancellationToken);

    Task<CapacitySample> SampleCapacityAsync(LoadWorld world, CancellationToken cancellationToken);

    /// <summary>The cheapest round trip this target has: the ceiling the broker's decisions are compared with.</summary>
    Task TrivialCallAsync(CancellationToken cancellationToken);

    /// <summary>What <see cref="TrivialCallAsync"/> is, for the report.</summary>
    string TrivialCallName { get; }
}
