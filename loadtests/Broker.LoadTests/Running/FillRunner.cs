using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Broker.LoadTests.Demand;
using Broker.LoadTests.Report;
using Broker.LoadTests.Targets;
using Broker.LoadTests.World;

namespace Broker.LoadTests.Running;

/// <summary>What the fill loop leaves: its phase for the report (invariants without the release yet), what it kept, its stretches and seconds.</summary>
public sealed record FillRun(
    PhaseResult Phase, KeptAllocations Kept, IReadOnlyList<FillBucket> Buckets, IReadOnlyList<FillSecond> Seconds, string StoppedBecause, double LoopSeconds);

/// <summary>
/// The fill: a closed loop of <paramref name="concurrency"/> workers, each sending its next small ask as soon as
/// the last one came back, and keeping every allocation, until the plan's target of live allocations is reached,
/// <paramref name="duration"/> is up, or the loop has made twice as many requests as the target (whichever
/// first). A worker reserves its place below the target before sending, so the loop never overshoots it; a
/// rejection or a failed call gives the place back. Failed calls are asked again with the same key afterwards.
/// Everything the loop measures with is allocated here, before the first memory reading.
/// </summary>
public sealed class FillRunner(IBrokerTarget target, LoadWorld world, FillPlan plan, TextWriter progress, TimeSpan duration, int concurrency)
{
    private const string Name = "fill";

    private readonly int _seconds = (int)Math.Ceiling(duration.TotalSeconds);
    private readonly PhaseCounters _counters = new((int)Math.Ceiling(duration.TotalSeconds));
    private readonly FillBuckets _buckets = new(plan.TargetAllocations);
    private readonly KeptAllocations _kept = new();
    private readonly ConcurrentQueue<long> _open = new();
    private readonly Dictionary<int, long> _liveAt = [];
    private readonly Stopwatch _clock = new();
    private long _reserved;
    private long _next = -1;
    private int _sent;
    private int _rejected;

    /// <summary>At most this many requests, whatever happens: twice the target, and a little more for small ones.</summary>
    public long MaxRequests => (2L * plan.TargetAllocations) + 10_000;

    public async Task<FillRun> RunAsync(CancellationToken cancellationToken)
    {
        var nonce = Guid.NewGuid().ToString("N")[..12];
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sampler = new PhaseSampler(target, world, _counters, _clock, progress, Name, _seconds, Status);
        _clock.Start();
        var sampling = sampler.RunAsync(stop.Token);
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(() => WorkAsync(nonce, cancellationToken), cancellationToken)));
        var loopEnd = _clock.Elapsed;
        var stoppedBecause = _kept.Count >= plan.TargetAllocations ? "target reached"
            : Volatile.Read(ref _next) >= MaxRequests ? $"request bound ({MaxRequests:N0}) reached"
            : "--duration ran out";
        var resolution = await ResolveAsync(nonce, cancellationToken);
        await stop.CancelAsync();
        await sampling;

        var allocated = _counters.ByTier.Values.Sum();
        var decided = allocated + _rejected;
        var phase = new PhaseResult(
            Name,
            Isolated: false,
            plan.TargetAllocations,
            _sent,
            Dropped: 0,
            decided,
            allocated,
            Sorted(_counters.ByTier),
            Sorted(_counters.RejectedByCode),
            Sorted(_counters.FailedByCode),
            Pending: _counters.FailedByCode.GetValueOrDefault("pending"),
            _sent == 0 ? 0 : Math.Round((double)allocated / _sent, 4),
            Math.Round(decided / loopEnd.TotalSeconds, 1),
            sampler.Latency(),
            Burst: null,
            resolution,
            new Invariants(sampler.CapacitySamples, sampler.FailedCapacitySamples, sampler.OvercommittedPoolSamples, resolution.Unresolved, AllocatedAfterCleanup: 0, Served: allocated),
            sampler.Timeline(),
            [new PhaseEvent(Math.Round(loopEnd.TotalSeconds, 2), $"fill stopped: {stoppedBecause}, {_kept.Count:N0} live")],
            Math.Round(loopEnd.TotalSeconds, 2));
        var seconds = sampler.Timeline().Select(s => new FillSecond(s.Second, _liveAt.GetValueOrDefault(s.Second), s.Decided)).ToArray();
        return new FillRun(phase, _kept, _buckets.Results(loopEnd), seconds, stoppedBecause, Math.Round(loopEnd.TotalSeconds, 2));
    }

    private async Task WorkAsync(string nonce, CancellationToken cancellationToken)
    {
        while (_clock.Elapsed < duration)
        {
            if (Interlocked.Increment(ref _reserved) > plan.TargetAllocations)
            {
                Interlocked.Decrement(ref _reserved);
                return;
            }

            var n = Interlocked.Increment(ref _next);
            if (n >= MaxRequests)
            {
                Interlocked.Decrement(ref _reserved);
                return;
            }

            var arrival = plan.Ask(n);
            var sent = _clock.Elapsed;
            Interlocked.Increment(ref _sent);
            _counters.Sent(sent);
            Decision decision;
            try
            {
                decision = await target.RequestAsync(arrival, $"{nonce}-{Name}-{n}", isolated: false, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                decision = Decision.Failed(e.GetType().Name);
            }

            Record(n, arrival, decision, sent);
            _counters.Done();
        }
    }

    private void Record(long n, Arrival arrival, Decision decision, TimeSpan sent)
    {
        var now = _clock.Elapsed;
        var latency = now - sent;
        switch (decision)
        {
            case { Kind: DecisionKind.Allocated, RequestId: { } id }:
                var live = _kept.Add(arrival.Index, id);
                _buckets.Allocated(live - 1, now, latency);
                _counters.Allocated(now, latency, decision.Tier ?? "unknown");
                break;
            case { Kind: DecisionKind.Rejected }:
                Interlocked.Decrement(ref _reserved);
                Interlocked.Increment(ref _rejected);
                _buckets.Rejected(_kept.Count, latency);
                _counters.Rejected(now, latency, decision.Code ?? "unknown");
                break;
            default:
                // It may exist all the same: asked again after the loop, kept if allocated.
                Interlocked.Decrement(ref _reserved);
                _open.Enqueue(n);
                _counters.Failed(now, decision.Kind == DecisionKind.Pending ? "pending" : decision.Code ?? "failed");
                break;
        }
    }

    private async Task<Resolution> ResolveAsync(string nonce, CancellationToken cancellationToken)
    {
        var open = _open.ToArray();
        var resolved = new Decision?[open.Length];
        await Parallel.ForEachAsync(Enumerable.Range(0, open.Length), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var arrival = plan.Ask(open[i]);
            try
            {
                resolved[i] = await target.ResolveAsync(arrival, $"{nonce}-{Name}-{open[i]}", isolated: false, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                resolved[i] = Decision.Failed(e.GetType().Name);
            }

            if (resolved[i] is { Kind: DecisionKind.Allocated, RequestId: { } id })
            {
                _kept.Add(arrival.Index, id);
            }
        });
        return new Resolution(
            open.Length,
            resolved.Count(r => r?.Kind == DecisionKind.Allocated),
            resolved.Count(r => r?.Kind == DecisionKind.Rejected),
            resolved.Count(r => r?.Kind is not (DecisionKind.Allocated or DecisionKind.Rejected)));
    }

    private string Status(int second)
    {
        var live = _kept.Count;
        _liveAt[second] = live;
        return string.Create(CultureInfo.InvariantCulture, $"  live {live,9:N0} ({(double)live / plan.TargetAllocations,6:P1})");
    }

    private static IReadOnlyDictionary<string, int> Sorted(ConcurrentDictionary<string, int> counts) =>
        new SortedDictionary<string, int>(counts, StringComparer.Ordinal);
}
