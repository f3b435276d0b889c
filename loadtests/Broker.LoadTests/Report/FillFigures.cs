using Broker.LoadTests.Demand;
using Broker.LoadTests.Running;

namespace Broker.LoadTests.Report;

/// <summary>A fill run's figures from what it measured: the end-to-start ratio of the decision rate, and memory per live allocation.</summary>
public static class FillFigures
{
    /// <summary>How close the last stretch's decision rate must stay to the first's: within 10 %.</summary>
    public const double FlatRatio = 0.9;

    public static FillResult Result(
        LoadTestOptions options, FillPlan plan, FillRun run, long largestPool, long preFill, long unitsKept, long unitsShown, FillMemory memory, ReleaseSummary? release)
    {
        var buckets = run.Buckets;
        // A stretch cut short by --duration may hold a handful of decisions in a fraction of a second: compare the last complete one.
        int? end = buckets.Count < 2 ? null : buckets.Skip(1).LastOrDefault(b => b.Complete)?.Index ?? buckets[^1].Index;
        double? ratio = end is { } e && buckets[0].DecisionsPerSecond > 0 ? Math.Round(buckets[e].DecisionsPerSecond / buckets[0].DecisionsPerSecond, 3) : null;
        return new FillResult(
            plan.TargetAllocations,
            options.Concurrency,
            plan.Templates.Count,
            FillPlan.MinAmount,
            FillPlan.MaxAmount,
            largestPool,
            (int)preFill,
            run.Kept.Count,
            run.Kept.Count >= plan.TargetAllocations,
            run.StoppedBecause,
            run.LoopSeconds,
            unitsKept,
            unitsShown,
            buckets,
            end,
            ratio,
            ratio is { } r ? r >= FlatRatio : null,
            run.Seconds,
            memory,
            release);
    }

    public static FillMemory Memory(string source, LoadTestOptions options, FillRun run, MemoryReading start, MemoryReading end, MemoryReading? settled)
    {
        // In-process the harness's record of what it kept sits on the same heap as the silo: taken off.
        var harness = options.Target is null ? run.Kept.Bytes : 0;
        var live = run.Kept.Count;
        double? Per(long? from, long? to) => from is { } f && to is { } t && live > 0 ? Math.Round((double)(t - f - harness) / live, 1) : null;
        return new FillMemory(
            source,
            start,
            end,
            settled,
            options.SettleSeconds.TotalSeconds,
            harness,
            Per(start.ManagedBytes, end.ManagedBytes),
            Per(start.WorkingSetBytes, end.WorkingSetBytes),
            settled is null ? null : Per(start.ManagedBytes, settled.ManagedBytes),
            settled is null ? null : Per(start.WorkingSetBytes, settled.WorkingSetBytes));
    }
}
