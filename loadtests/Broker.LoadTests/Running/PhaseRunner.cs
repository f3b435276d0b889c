using System.Collections.Concurrent;
using System.Diagnostics;
using Broker.LoadTests.Demand;
using Broker.LoadTests.Targets;
using Broker.LoadTests.World;

namespace Broker.LoadTests.Running;

/// <summary>
/// Runs one phase of a plan against a target as an open model: every request is sent at its planned time
/// whether or not earlier ones were answered, and its latency counts from that planned time, so a slow
/// broker cannot hide its slowness by slowing the load down. Allocations are released after their hold
/// time, or with <paramref name="keep"/> only at the end; at the end everything still held is released and
/// what must hold is checked. A <paramref name="probe"/> runs beside the plan on the phase's clock (a drain).
/// </summary>
public sealed class PhaseRunner(
    IBrokerTarget target, LoadWorld world, DemandPlan plan, TextWriter progress, IOutageControl? outage = null, bool keep = false, IPhaseProbe? probe = null)
{
    /// <summary>Requests in flight beyond which the harness drops arrivals rather than exhaust itself; drops are reported.</summary>
    public const int MaxInFlight = 20_000;

    private static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(45);

    public async Task<PhaseResult> RunAsync(string name, bool isolated, CancellationToken cancellationToken)
    {
        var nonce = Guid.NewGuid().ToString("N")[..12];
        var seconds = (int)Math.Ceiling(plan.Duration.TotalSeconds);
        var counters = new PhaseCounters(seconds);
        var outcomes = new Decision?[plan.Arrivals.Count];
        var events = new ConcurrentQueue<PhaseEvent>();
        var clock = Stopwatch.StartNew();
        var releases = new ReleaseSchedule(target, clock);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sampler = new PhaseSampler(target, world, counters, clock, progress, name, seconds);
        var sampling = sampler.RunAsync(stop.Token);
        var releasing = releases.RunAsync(stop.Token);
        var outageTask = outage is null ? Task.CompletedTask : RunOutageAsync(outage, clock, events, stop.Token);
        var probing = probe is null ? Task.CompletedTask : probe.RunAsync(clock, events, stop.Token);

        var dropped = 0;
        foreach (var arrival in plan.Arrivals)
        {
            var wait = arrival.At - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait, cancellationToken);
            }

            if (counters.InFlight >= MaxInFlight)
            {
                dropped++;
                continue;
            }

            counters.Sent(arrival.At);
            var key = $"{nonce}-{name}-{arrival.Index}";
            _ = Task.Run(() => ExecuteAsync(arrival, key, isolated, counters, outcomes, releases, clock, cancellationToken), cancellationToken);
        }

        var drainDeadline = clock.Elapsed + DrainLimit;
        while (counters.InFlight > 0 && clock.Elapsed < drainDeadline)
        {
            await Task.Delay(20, cancellationToken);
        }

        await outageTask;
        await probing;
        var wall = clock.Elapsed.TotalSeconds;
        var resolution = await ResolveAsync(outcomes, nonce, name, isolated, releases, cancellationToken);
        await stop.CancelAsync();
        await Task.WhenAll(sampling, releasing);
        await releases.ReleaseAllAsync(cancellationToken);
        var after = await SettledAllocationAsync(target, world, cancellationToken);

        var decided = outcomes.Count(o => o?.Kind is DecisionKind.Allocated or DecisionKind.Rejected);
        var allocated = outcomes.Count(o => o?.Kind == DecisionKind.Allocated);
        var bursts = plan.Arrivals.Where(a => a.IsBurst).Select(a => outcomes[a.Index]).ToArray();
        return new PhaseResult(
            name,
            isolated,
            plan.Arrivals.Count,
            plan.Arrivals.Count - dropped,
            dropped,
            decided,
            allocated,
            Sorted(counters.ByTier),
            Sorted(counters.RejectedByCode),
            Sorted(counters.FailedByCode),
            outcomes.Count(o => o?.Kind == DecisionKind.Pending),
            plan.Arrivals.Count == 0 ? 0 : Math.Round((double)allocated / plan.Arrivals.Count, 4),
            Math.Round(decided / wall, 1),
            sampler.Latency(),
            bursts.Length == 0 ? null : new BurstSummary(
                bursts.Length,
                bursts.Count(b => b?.Kind == DecisionKind.Allocated),
                bursts.Count(b => b?.Kind == DecisionKind.Rejected),
                Math.Round(bursts.Where(b => b?.Kind == DecisionKind.Allocated).Select(b => (double)b!.Parts).DefaultIfEmpty(0).Average(), 2)),
            resolution,
            new Invariants(sampler.CapacitySamples, sampler.FailedCapacitySamples, sampler.OvercommittedPoolSamples, resolution.Unresolved, after, allocated),
            sampler.Timeline(),
            events.ToArray(),
            Math.Round(wall, 2),
            plan.SpikeWindow is { } window ? Split(outcomes, window) : null);
    }

    /// <summary>Election night: the election state's asks during the spike apart from everyone else's.</summary>
    private ElectionSplit Split(Decision?[] outcomes, (TimeSpan From, TimeSpan To) window)
    {
        bool Served(Arrival a) => outcomes[a.Index]?.Kind == DecisionKind.Allocated;
        var spike = plan.Arrivals.Where(a => a.IsSpike).ToArray();
        var ordinary = plan.Arrivals.Where(a => !a.IsSpike && !a.IsBurst).ToArray();
        var inWindow = ordinary.Where(a => a.At >= window.From && a.At < window.To).ToArray();
        var byTier = spike.Where(Served).GroupBy(a => outcomes[a.Index]!.Tier ?? "unknown")
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return new ElectionSplit(
            spike.Length, spike.Count(Served), new SortedDictionary<string, int>(byTier, StringComparer.Ordinal),
            ordinary.Length, ordinary.Count(Served), inWindow.Length, inWindow.Count(Served));
    }

    private async Task ExecuteAsync(
        Arrival arrival, string key, bool isolated, PhaseCounters counters, Decision?[] outcomes, ReleaseSchedule releases, Stopwatch clock, CancellationToken cancellationToken)
    {
        Decision decision;
        try
        {
            decision = await target.RequestAsync(arrival, key, isolated, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            decision = Decision.Failed(e.GetType().Name);
        }

        var now = clock.Elapsed;
        var latency = now - arrival.At;
        switch (decision.Kind)
        {
            case DecisionKind.Allocated:
                counters.Allocated(now, latency, decision.Tier ?? "unknown");
                releases.Add(arrival, decision.RequestId!, keep ? TimeSpan.MaxValue : now + arrival.Hold);
                break;
            case DecisionKind.Rejected:
                counters.Rejected(now, latency, decision.Code ?? "unknown");
                break;
            case DecisionKind.Pending:
                counters.Failed(now, "pending");
                break;
            default:
                counters.Failed(now, decision.Code ?? "failed");
                break;
        }

        outcomes[arrival.Index] = decision;
        counters.Done();
    }

    /// <summary>Asks again, with the same key, about every request whose call failed or stayed pending: each must turn out allocated or rejected.</summary>
    private async Task<Resolution> ResolveAsync(Decision?[] outcomes, string nonce, string name, bool isolated, ReleaseSchedule releases, CancellationToken cancellationToken)
    {
        var open = plan.Arrivals.Where(a => outcomes[a.Index] is null or { Kind: DecisionKind.Failed or DecisionKind.Pending }).ToArray();
        var resolved = new Decision?[open.Length];
        await Parallel.ForEachAsync(Enumerable.Range(0, open.Length), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var arrival = open[i];
            try
            {
                resolved[i] = await target.ResolveAsync(arrival, $"{nonce}-{name}-{arrival.Index}", isolated, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                resolved[i] = Decision.Failed(e.GetType().Name);
            }

            if (resolved[i] is { Kind: DecisionKind.Allocated, RequestId: { } id })
            {
                releases.Add(arrival, id, TimeSpan.Zero);
            }
        });
        return new Resolution(
            open.Length,
            resolved.Count(r => r?.Kind == DecisionKind.Allocated),
            resolved.Count(r => r?.Kind == DecisionKind.Rejected),
            resolved.Count(r => r?.Kind is not (DecisionKind.Allocated or DecisionKind.Rejected)));
    }

    /// <summary>
    /// What stays allocated in the load world once every release went through. The HTTP view is the directory's,
    /// which may lag: after a silo failure a data center's last summary can wait for its next republish (30 s).
    /// </summary>
    internal static async Task<long> SettledAllocationAsync(IBrokerTarget target, LoadWorld world, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(45);
        while (true)
        {
            var sample = await target.SampleCapacityAsync(world, cancellationToken);
            if (sample.Allocated == 0 || DateTimeOffset.UtcNow > deadline)
            {
                return sample.Allocated;
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    private async Task RunOutageAsync(IOutageControl control, Stopwatch clock, ConcurrentQueue<PhaseEvent> events, CancellationToken cancellationToken)
    {
        await Task.Delay(Later(plan.Duration * Scenarios.OutageStart, clock), cancellationToken);
        events.Enqueue(new PhaseEvent(Math.Round(clock.Elapsed.TotalSeconds, 2), $"silo of {control.Provider} stopping"));
        await control.StopAsync(cancellationToken);
        events.Enqueue(new PhaseEvent(Math.Round(clock.Elapsed.TotalSeconds, 2), $"silo of {control.Provider} stopped"));
        await Task.Delay(Later(plan.Duration * Scenarios.OutageEnd, clock), cancellationToken);

        events.Enqueue(new PhaseEvent(Math.Round(clock.Elapsed.TotalSeconds, 2), $"silo of {control.Provider} starting"));
        await control.StartAsync(cancellationToken);
        events.Enqueue(new PhaseEvent(Math.Round(clock.Elapsed.TotalSeconds, 2), $"silo of {control.Provider} ready again"));
    }

    private static TimeSpan Later(TimeSpan at, Stopwatch clock) => at > clock.Elapsed ? at - clock.Elapsed : TimeSpan.Zero;

    private static IReadOnlyDictionary<string, int> Sorted(ConcurrentDictionary<string, int> counts) =>
        new SortedDictionary<string, int>(counts, StringComparer.Ordinal);
}
