using Broker.LoadTests.Demand;
using Broker.LoadTests.Targets;
using Broker.LoadTests.World;

namespace Broker.LoadTests.Running;

/// <summary>
/// drain: one phase of steady load with long holds, the busiest data center drained from a third of it to its end
/// (<see cref="DrainProbe"/>), the authorities' side watched (<see cref="MoveWatch"/>).
/// </summary>
public sealed class DrainPhase(InProcessTarget target, LoadWorld world, DemandPlan plan, TextWriter progress)
{
    public async Task<(PhaseResult Phase, DrainResult Drain)> RunAsync(CancellationToken cancellationToken)
    {
        await target.PrepareAsync(world, cancellationToken);
        var watch = new MoveWatch(target);
        var probe = new DrainProbe(target, plan.Duration);
        var phase = await new PhaseRunner(watch, world, plan, progress, probe: probe).RunAsync("federated", isolated: false, cancellationToken);
        var run = probe.Result ?? throw new InvalidOperationException("the drain never started: the phase ended before a third of it");
        progress.WriteLine($"[drain] {run.DataCenter}: {run.Held:N0} held, {run.Moved:N0} moved in {run.SecondsToDrained?.ToString("0.00") ?? "(not drained)"} s, "
            + $"{run.StuckByReason.Values.Sum()} stuck; {watch.Moved:N0} moved requests released by their authorities, {watch.Noticed.Count} noticed");
        return (phase, new DrainResult(run, watch.Released, watch.Moved, watch.Noticed.Count, watch.Noticed.Take(20).ToArray()));
    }
}

/// <summary>A drain under load with the authorities' view: releases watched, of those the moved ones, and who noticed a move (the first 20 named).</summary>
public sealed record DrainResult(DrainRun Run, int ReleasesWatched, int MovedAtRelease, int Noticed, IReadOnlyList<string> NoticedExamples);
