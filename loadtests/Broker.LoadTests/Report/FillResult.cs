namespace Broker.LoadTests.Report;

/// <summary>
/// What a fill run measured beside its phase: the decision rate as the live allocations grew, per stretch of
/// 5 % of the target, the first stretch against the last, the silo's memory per live allocation, and the release.
/// <c>EndToStartRatio</c>: the decision rate of stretch <c>EndStretch</c> (the last complete one, or the last
/// reached if only the first was complete) over the first stretch's, the aim at least 0.9.
/// <c>PreFillRequests</c>: requests made (and released) on the same broker before the fill, warm-up and
/// ceiling; their grains may still be active when memory is first read. <c>UnitsAllocatedByBroker</c>: what
/// the broker's capacity view showed allocated in the load world after the fill, beside <c>UnitsKept</c>.
/// </summary>
public sealed record FillResult(
    int TargetAllocations,
    int Concurrency,
    int Templates,
    long MinAmount,
    long MaxAmount,
    long PoolTotalPerDataCenterLargest,
    int PreFillRequests,
    long Live,
    bool Reached,
    string StoppedBecause,
    double LoopSeconds,
    long UnitsKept,
    long UnitsAllocatedByBroker,
    IReadOnlyList<FillBucket> Buckets,
    int? EndStretch,
    double? EndToStartRatio,
    bool? Flat,
    IReadOnlyList<FillSecond> Seconds,
    FillMemory Memory,
    ReleaseSummary? Release);

/// <summary>
/// One stretch of live allocations, [<c>FromLive</c>, <c>ToLive</c>). <c>Complete</c>: whether the live count got
/// through the whole stretch (the last one reached may be cut short by <c>--duration</c>).
/// </summary>
public sealed record FillBucket(
    int Index,
    long FromLive,
    long ToLive,
    long Decisions,
    long Allocated,
    double Seconds,
    double DecisionsPerSecond,
    double P50,
    double P99,
    bool Complete);

/// <summary>One second of the fill: live allocations at its end, decisions that came back in it.</summary>
public sealed record FillSecond(int Second, long Live, int Decided);

/// <summary>One reading of the silo's memory; null figures were not available (the note says why).</summary>
public sealed record MemoryReading(double AtSeconds, long? ManagedBytes, long? WorkingSetBytes, string? Note);

/// <summary>
/// The silo's memory before the fill, right after it, and after <c>SettleSeconds</c> more (when request grains
/// may have deactivated); per live allocation, less what the harness itself holds (<c>HarnessBytes</c>,
/// in-process only, where harness and silo share the heap).
/// </summary>
public sealed record FillMemory(
    string Source,
    MemoryReading Start,
    MemoryReading End,
    MemoryReading? AfterSettle,
    double SettleSeconds,
    long HarnessBytes,
    double? ManagedBytesPerAllocation,
    double? WorkingSetBytesPerAllocation,
    double? ManagedBytesPerAllocationAfterSettle,
    double? WorkingSetBytesPerAllocationAfterSettle);

/// <summary>The end of the run: every kept allocation released (bounded in time), and what stayed allocated.</summary>
public sealed record ReleaseSummary(int Kept, int Released, int Failed, int NotAttempted, double Seconds, double ReleasesPerSecond, long UnitsAllocatedAfter);
