using System.Collections.Concurrent;
using System.Diagnostics;
using Broker.Audit;
using Broker.DataCenters;
using Broker.Domain;
using Broker.LoadTests.Targets;

namespace Broker.LoadTests.Running;

/// <summary>
/// drain: at <see cref="Demand.Scenarios.DrainStart"/> of the phase, the member data center busiest then (holding the
/// largest share of what is allocated) is drained, as its provider's admin would; its progress is read every
/// <see cref="PollInterval"/> until nothing movable is left, then, less often, to the end of the plan (nothing new
/// may land there), and the drain is ended.
/// </summary>
public sealed class DrainProbe(InProcessTarget target, TimeSpan duration) : IPhaseProbe
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan WatchInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>Beyond the end of the plan, how long the drain may still take before the probe gives up on it.</summary>
    private static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(60);

    private static readonly AuditActor Operator = new("provider-admin:load-test", "load-test");

    private readonly List<DrainSample> _samples = [];

    public DrainRun? Result { get; private set; }

    public async Task RunAsync(Stopwatch clock, ConcurrentQueue<PhaseEvent> events, CancellationToken cancellationToken)
    {
        await DelayUntilAsync(clock, duration * Demand.Scenarios.DrainStart, cancellationToken);
        var dataCenter = Busiest();
        var drain = target.Grains.Reference<IDataCenterDrainGrain>(dataCenter.Id);
        var started = clock.Elapsed;
        var status = (await drain.StartAsync("load test: maintenance during steady load", Operator)).Status;
        Event(events, clock, $"drain of {dataCenter.Id} ({dataCenter.Provider}) started");
        TimeSpan? drained = null;
        while (drained is null && clock.Elapsed < duration + DrainLimit)
        {
            Sample(clock, started, status);
            if (status.State == DrainState.Drained)
            {
                drained = clock.Elapsed - started;
                Event(events, clock, $"{dataCenter.Id} drained: {status.Moved:N0} moved, {status.Stuck.Length} stuck");
                break;
            }

            await Task.Delay(PollInterval, cancellationToken);
            status = await drain.GetAsync();
        }

        var atDrained = status;
        var mostHeldSince = status.Remaining;
        while (clock.Elapsed < duration)
        {
            await Task.Delay(WatchInterval, cancellationToken);
            status = await drain.GetAsync();
            Sample(clock, started, status);
            mostHeldSince = Math.Max(mostHeldSince, status.Remaining);
        }

        // Read before the end: an ended drain answers as none (its counts start again with the next one).
        var final = await drain.GetAsync();
        await drain.StopAsync(Operator);
        Event(events, clock, $"drain of {dataCenter.Id} ended");
        Result = new DrainRun(
            dataCenter.Id,
            dataCenter.Provider,
            target.MaxMovesInFlight,
            Math.Round(started.TotalSeconds, 2),
            _samples.Max(s => s.Moved + s.Remaining),
            atDrained.Moved,
            atDrained.Stuck.GroupBy(s => s.Reason).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
            drained is { } d ? Math.Round(d.TotalSeconds, 2) : null,
            drained is { } t && t > TimeSpan.Zero ? Math.Round(atDrained.Moved / t.TotalSeconds, 1) : null,
            mostHeldSince,
            final.Moved,
            _samples.ToArray());
    }

    /// <summary>The member data center holding the largest share of what the federation has allocated (each class's share, summed).</summary>
    private DataCenterSummary Busiest()
    {
        var all = target.Directory.All.ToArray();
        var allocated = all.SelectMany(dc => dc.Pools).GroupBy(p => p.Resource).ToDictionary(g => g.Key, g => Math.Max(1, g.Sum(p => p.Allocated)), StringComparer.Ordinal);
        return all.Where(dc => dc.ProviderKind == ProviderKind.Member)
            .OrderByDescending(dc => dc.Pools.Sum(p => (double)p.Allocated / allocated[p.Resource]))
            .ThenBy(dc => dc.Id, StringComparer.Ordinal)
            .First();
    }

    private void Sample(Stopwatch clock, TimeSpan started, DrainStatus status) =>
        _samples.Add(new DrainSample(Math.Round((clock.Elapsed - started).TotalSeconds, 2), status.Moved, status.Remaining, status.Stuck.Length));

    private static void Event(ConcurrentQueue<PhaseEvent> events, Stopwatch clock, string what) =>
        events.Enqueue(new PhaseEvent(Math.Round(clock.Elapsed.TotalSeconds, 2), what));

    private static async Task DelayUntilAsync(Stopwatch clock, TimeSpan at, CancellationToken cancellationToken)
    {
        if (at > clock.Elapsed)
        {
            await Task.Delay(at - clock.Elapsed, cancellationToken);
        }
    }
}

/// <summary>
/// One drain under load: the data center, the moves allowed in flight, when it started (seconds into the phase), the
/// allocations it held (the most moved plus remaining seen), moved and stuck (by reason) once drained, seconds to
/// drained and moves per second until then, the most it held again from then to the end of the plan (stuck ones
/// only: nothing new may land), moved by the end, and the readings.
/// </summary>
public sealed record DrainRun(
    string DataCenter,
    string Provider,
    int MaxMovesInFlight,
    double StartedAtSeconds,
    long Held,
    long Moved,
    IReadOnlyDictionary<string, int> StuckByReason,
    double? SecondsToDrained,
    double? MovesPerSecond,
    long MostHeldAfterDrained,
    long MovedByTheEnd,
    IReadOnlyList<DrainSample> Samples);

/// <summary>A reading of the drain: seconds since it started, moved, remaining (stuck among them), stuck.</summary>
public sealed record DrainSample(double Seconds, long Moved, long Remaining, int Stuck);
