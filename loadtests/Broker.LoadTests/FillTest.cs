using System.Diagnostics;
using System.Globalization;
using Broker.Contracts;
using Broker.LoadTests.Demand;
using Broker.LoadTests.Report;
using Broker.LoadTests.Running;
using Broker.LoadTests.Targets;
using Broker.LoadTests.World;

namespace Broker.LoadTests;

/// <summary>
/// The fill scenario: a load world whose pools take every ask, a warm-up that touches every authority, the
/// ceiling on the empty federation, memory read, the fill loop keeping what it gets, memory read again (and
/// after <see cref="LoadTestOptions.SettleSeconds"/>), then everything released unless told not to.
/// </summary>
public static class FillTest
{
    /// <summary>The warm-up's bound for touching every authority once.</summary>
    private static readonly TimeSpan TouchLimit = TimeSpan.FromMinutes(5);

    /// <summary>At most this many of the fill's asks after touching every authority, for the JIT to settle.</summary>
    private const int WarmUpAsks = 10_000;

    public static async Task<RunResult> RunAsync(LoadTestOptions options, FederationFile shape, TextWriter progress, CancellationToken cancellationToken)
    {
        var generation = Stopwatch.StartNew();
        var plain = LoadWorld.Create(shape, options.Seed, options.Rate, options.Tenants, options.DataCenters);
        var plan = FillPlan.Create(plain, options.TargetAllocations, options.Seed);
        var world = FillSizing.Apply(plain, plan);
        var largestPool = FillSizing.PoolTotals(plan).Values.DefaultIfEmpty(0).Max();
        Say(progress, $"fill: up to {plan.TargetAllocations:N0} kept allocations of {FillPlan.MinAmount}-{FillPlan.MaxAmount} units, {options.Concurrency} at a time, at most {options.Duration.TotalSeconds:0} s; ",
            $"{world.Tenants.Count:N0} authorities, {world.DataCenters.Count():N0} data centers (pools up to {largestPool:N0} units each), target {options.Target?.ToString() ?? "in-process"}; generated in {generation.Elapsed.TotalSeconds:0.0} s");

        var started = DateTimeOffset.UtcNow;
        await using IBrokerTarget target = options.Target is null ? new InProcessTarget() : new HttpTarget(options.Target, options.AdminToken);
        using var memory = new SiloMemory(options.Target);
        await target.PrepareAsync(world, cancellationToken);
        var preFill = await WarmUpAsync(target, plan, options, progress, cancellationToken);
        CeilingResult? ceiling = null;
        if (options.CeilingDuration > TimeSpan.Zero)
        {
            Say(progress, $"ceiling: {options.CeilingWorkers} workers, {options.CeilingDuration.TotalSeconds:0} s of the fill's asks (each released at once) on the empty federation, then as long of {target.TrivialCallName}");
            ceiling = await CeilingProbe.RunAsync(target, plan.Templates, options.CeilingDuration, options.CeilingWorkers, cancellationToken);
            preFill += (long)(ceiling.DecisionsPerSecond * ceiling.Seconds);
            Say(progress, $"ceiling: {ceiling.DecisionsPerSecond:N0} decisions/s, {ceiling.TrivialCallsPerSecond:N0} {ceiling.TrivialCall}/s");
        }

        var runner = new FillRunner(target, world, plan, progress, options.Duration, options.Concurrency);
        var clock = Stopwatch.StartNew();
        var start = await ReadAsync(memory, "before the fill", clock, progress, cancellationToken);
        var run = await runner.RunAsync(cancellationToken);
        var unitsKept = run.Kept.All().Sum(k => plan.Templates[k.Template].Ask.Amount);
        var unitsShown = await AllocatedAsync(target, world, unitsKept, cancellationToken);
        var end = await ReadAsync(memory, "after the fill", clock, progress, cancellationToken);
        MemoryReading? settled = null;
        if (options.SettleSeconds > TimeSpan.Zero)
        {
            await SettleAsync(options.SettleSeconds, progress, cancellationToken);
            settled = await ReadAsync(memory, $"{options.SettleSeconds.TotalSeconds:0} s later", clock, progress, cancellationToken);
        }

        ReleaseSummary? release = null;
        if (options.Release)
        {
            var limit = TimeSpan.FromSeconds(Math.Max(120, 2 * run.LoopSeconds));
            release = await new FillRelease(target, world, plan, progress, options.Concurrency, limit).RunAsync(run.Kept, cancellationToken);
        }

        var phase = run.Phase with
        {
            Invariants = run.Phase.Invariants with { AllocatedAfterCleanup = release?.UnitsAllocatedAfter ?? unitsShown, Released = options.Release },
        };
        var fill = FillFigures.Result(options, plan, run, largestPool, preFill, unitsKept, unitsShown, FillFigures.Memory(memory.Source, options, run, start, end, settled), release);
        if (fill is { EndToStartRatio: { } ratio, EndStretch: { } compared })
        {
            Say(progress, $"fill: {run.Kept.Count:N0} live ({run.StoppedBecause}); first stretch {fill.Buckets[0].DecisionsPerSecond:N0} decisions/s, ",
                $"stretch {compared + 1} of {FillBuckets.Count} {fill.Buckets[compared].DecisionsPerSecond:N0}: ratio {ratio:0.00} ({(fill.Flat == true ? "flat" : "NOT flat")})");
        }
        else
        {
            Say(progress, $"fill: {run.Kept.Count:N0} live ({run.StoppedBecause}); fewer than two stretches, no ratio");
        }

        var result = new RunResult(
            Scenarios.Name(ScenarioKind.Fill),
            target.Mode,
            options.Target?.ToString(),
            options.Seed,
            options.Duration.TotalSeconds,
            options.Rate,
            started,
            MachineInfo.Current(),
            new WorldInfo(world.Providers.Count(), world.DataCenters.Count(), world.Tenants.Count, plan.TargetAllocations),
            SpikeState: null,
            [phase],
            ceiling,
            Keep: true,
            Fill: fill);
        await LoadTest.WriteAsync(result, options.OutDirectory, cancellationToken);
        return result;
    }

    /// <summary>
    /// One ask from every authority, then a little of the fill's asks, each released at once; returns how many were made.
    /// An authority's first ask activates its grains (tenant, quota, gate): were that left to the fill, its first
    /// stretch would pay for thousands of activations that its last does not, and the ratio would flatter. The
    /// second part is bounded in count too: each request's grain may deactivate during the fill and make its memory figure low.
    /// </summary>
    private static async Task<long> WarmUpAsync(IBrokerTarget target, FillPlan plan, LoadTestOptions options, TextWriter progress, CancellationToken cancellationToken)
    {
        if (options.WarmUp <= TimeSpan.Zero)
        {
            return 0;
        }

        Say(progress, $"warm-up: one ask from each of the {plan.PerTenant.Count:N0} authorities (at most {TouchLimit.TotalSeconds:0} s), ",
            $"then {options.WarmUp.TotalSeconds:0} s (at most {WarmUpAsks:N0}) of the fill's asks; each released at once");
        var touched = await CeilingProbe.DecideAndReleaseAsync(target, plan.PerTenant, TouchLimit, options.Concurrency, plan.PerTenant.Count, cancellationToken);
        var warmed = await CeilingProbe.DecideAndReleaseAsync(target, plan.Templates, options.WarmUp, options.Concurrency, WarmUpAsks, cancellationToken);
        return touched.Calls + warmed.Calls;
    }

    private static async Task<MemoryReading> ReadAsync(SiloMemory memory, string when, Stopwatch clock, TextWriter progress, CancellationToken cancellationToken)
    {
        var reading = await memory.ReadAsync(clock.Elapsed, cancellationToken);
        Say(progress, $"memory {when}: managed {Mb(reading.ManagedBytes)}, working set {Mb(reading.WorkingSetBytes)}{(reading.Note is null ? "" : $" ({reading.Note})")}");
        return reading;
    }

    /// <summary>Units the broker shows allocated in the load world, once its view has caught up with what the harness kept (at most 10 s).</summary>
    private static async Task<long> AllocatedAsync(IBrokerTarget target, LoadWorld world, long expected, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var allocated = (await target.SampleCapacityAsync(world, cancellationToken)).Allocated;
            if (allocated == expected || deadline.Elapsed > TimeSpan.FromSeconds(10))
            {
                return allocated;
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>Waits, saying so every 10 s: request grains deactivate a while after deciding (the broker's setting), and the next reading shows it.</summary>
    private static async Task SettleAsync(TimeSpan settle, TextWriter progress, CancellationToken cancellationToken)
    {
        var total = (int)Math.Ceiling(settle.TotalSeconds);
        for (var waited = 0; waited < total; waited += 10)
        {
            Say(progress, $"[settle] {waited}/{total} s, allocations kept");
            await Task.Delay(TimeSpan.FromSeconds(Math.Min(10, total - waited)), cancellationToken);
        }
    }

    private static string Mb(long? bytes) => bytes is { } b ? string.Create(CultureInfo.InvariantCulture, $"{b / 1048576.0:N1} MiB") : "not available";

    /// <summary>A progress line, its figures as everywhere in the harness's output: 1,234.5.</summary>
    private static void Say(TextWriter progress, params FormattableString[] parts) =>
        progress.WriteLine(string.Concat(parts.Select(p => p.ToString(CultureInfo.InvariantCulture))));
}
