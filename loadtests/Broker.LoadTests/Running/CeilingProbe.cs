using System.Diagnostics;
using Broker.LoadTests.Demand;
using Broker.LoadTests.Targets;

namespace Broker.LoadTests.Running;

/// <summary>
/// The broker's best decision rate beside the cheapest call on the same machine and path. Closed loop:
/// a fixed number of workers, each sending its next call as soon as the last one answered.
/// </summary>
public sealed record CeilingResult(
    int Workers,
    double Seconds,
    double DecisionsPerSecond,
    string TrivialCall,
    double TrivialCallsPerSecond,
    double DecisionCostInTrivialCalls);

public static class CeilingProbe
{
    public static async Task<CeilingResult> RunAsync(IBrokerTarget target, IReadOnlyList<Arrival> arrivals, TimeSpan duration, int workers, CancellationToken cancellationToken)
    {
        var (_, decisions) = await DecideAndReleaseAsync(target, arrivals, duration, workers, long.MaxValue, cancellationToken);
        var (_, trivial) = await LoopAsync(workers, duration, long.MaxValue, async (_, ct) =>
        {
            await target.TrivialCallAsync(ct);
            return true;
        }, cancellationToken);
        return new CeilingResult(
            workers,
            duration.TotalSeconds,
            Math.Round(decisions, 1),
            target.TrivialCallName,
            Math.Round(trivial, 1),
            decisions == 0 ? 0 : Math.Round(trivial / decisions, 1));
    }

    /// <summary>
    /// Closed loop over <paramref name="arrivals"/> (cycling) for <paramref name="duration"/> or <paramref name="maxCalls"/> calls,
    /// whichever first; each allocation is released again at once, so the pools never fill up (the releases are not counted).
    /// Returns the decisions made and their rate.
    /// </summary>
    public static Task<(long Calls, double PerSecond)> DecideAndReleaseAsync(
        IBrokerTarget target, IReadOnlyList<Arrival> arrivals, TimeSpan duration, int workers, long maxCalls, CancellationToken cancellationToken)
    {
        var nonce = Guid.NewGuid().ToString("N")[..12];
        return LoopAsync(workers, duration, maxCalls, async (n, ct) =>
        {
            var arrival = arrivals[(int)(n % arrivals.Count)];
            var decision = await target.RequestAsync(arrival, $"{nonce}-ceiling-{n}", isolated: false, ct);
            if (decision is { Kind: DecisionKind.Allocated, RequestId: { } id })
            {
                await target.ReleaseAsync(arrival, id, ct);
            }

            return decision.Kind is DecisionKind.Allocated or DecisionKind.Rejected;
        }, cancellationToken);
    }

    /// <summary>Calls that succeeded, and their rate over the time the loop ran; call n gets its number.</summary>
    private static async Task<(long Calls, double PerSecond)> LoopAsync(
        int workers, TimeSpan duration, long maxCalls, Func<long, CancellationToken, Task<bool>> call, CancellationToken cancellationToken)
    {
        var done = 0L;
        var next = -1L;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(
            async () =>
            {
                while (clock.Elapsed < duration)
                {
                    var n = Interlocked.Increment(ref next);
                    if (n >= maxCalls)
                    {
                        return;
                    }

                    try
                    {
                        if (await call(n, cancellationToken))
                        {
                            Interlocked.Increment(ref done);
                        }
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        // A failed call is not a decision; the rate shows it.
                    }
                }
            },
            cancellationToken)));
        return (done, done / clock.Elapsed.TotalSeconds);
    }
}
