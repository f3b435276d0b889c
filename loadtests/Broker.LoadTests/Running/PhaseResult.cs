namespace Broker.LoadTests.Running;

/// <summary>One phase of a run (the federated broker, or every provider on its own) as the report shows it.</summary>
public sealed record PhaseResult(
    string Name,
    bool Isolated,
    int Planned,
    int Sent,
    int Dropped,
    int Decided,
    int Allocated,
    IReadOnlyDictionary<string, int> AllocatedByTier,
    IReadOnlyDictionary<string, int> Rejected,
    IReadOnlyDictionary<string, int> Failed,
    int Pending,
    double ServedShare,
    double DecisionsPerSecond,
    LatencySummary Latency,
    BurstSummary? Burst,
    Resolution Resolution,
    Invariants Invariants,
    IReadOnlyList<SecondSample> Timeline,
    IReadOnlyList<PhaseEvent> Events,
    double WallSeconds,
    ElectionSplit? Election = null);

/// <summary>
/// Election night's requests split: the election state's asks during the spike, with the tiers that served them, and
/// everyone else's (all of them, and those due during the spike window).
/// </summary>
public sealed record ElectionSplit(
    int SpikeAsked, int SpikeServed, IReadOnlyDictionary<string, int> SpikeByTier, int OrdinaryAsked, int OrdinaryServed, int OrdinaryInWindowAsked, int OrdinaryInWindowServed);

/// <summary>Decision latency in milliseconds, measured from each request's intended send time.</summary>
public sealed record LatencySummary(long Count, double Mean, double P50, double P95, double P99, double P999, double Max);

/// <summary>The storage-burst giants: how many the broker served, and in how many data centers.</summary>
public sealed record BurstSummary(int Sent, int Allocated, int Rejected, double MeanParts);

/// <summary>What became of the requests whose call failed or stayed pending, asked again with the same idempotency key after the run.</summary>
public sealed record Resolution(int Asked, int Allocated, int Rejected, int Unresolved);

/// <summary>
/// What must hold whatever the load: something was served (a run that allocated nothing proves nothing), every
/// capacity sample was read (a failed one may have hidden an overcommit), no pool ever gives out more than it has,
/// every request ends allocated or rejected, and after the harness released everything nothing stays allocated
/// (unless it was told to keep everything: <paramref name="Released"/> false, a fill run's <c>--no-release</c>).
/// </summary>
public sealed record Invariants(
    int CapacitySamples, int FailedCapacitySamples, int OvercommittedPoolSamples, int UnresolvedRequests, long AllocatedAfterCleanup, int Served, bool Released = true)
{
    public bool Hold => CapacitySamples > 0 && FailedCapacitySamples == 0 && Served > 0
        && OvercommittedPoolSamples == 0 && UnresolvedRequests == 0 && (AllocatedAfterCleanup == 0 || !Released);
}

/// <summary>One second of a phase: requests due, decisions completed, their latency, and each provider's utilisation then.</summary>
public sealed record SecondSample(
    int Second,
    int Sent,
    int Decided,
    int Allocated,
    int Rejected,
    int Failed,
    double P50,
    double P95,
    double P99,
    IReadOnlyDictionary<string, double>? Utilisation);

public sealed record PhaseEvent(double AtSeconds, string What);
