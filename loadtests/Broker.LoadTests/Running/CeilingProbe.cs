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
    public static async Task<CeilingResult> RunAsync(IBrokerTarget target, DemandPlan plan, TimeSpan duration, int workers, CancellationToken cancellationToken)
    {
        var nonce = Guid.NewGuid().ToString("N")[..12];
        var next = -1;
        // Each allocation is released again at once, so the pools never fill up; the releases are not counted.
        var decisions = await LoopAsync(workers, duration, async ct =>
        {
            var arrival = plan.Arrivals[(int)((uint)Interlocked.Increment(ref next) % (uint)plan.Arrivals.Count)];
            var decision = await target.RequestAsync(arrival, $"{nonce}-ceiling-{next}", isolated: false, ct);
            if (decision is { Kind: DecisionKind.Allocated, RequestId: { } id })
            {
                await target.ReleaseAsync(arrival, id, ct);
            }

            return decision.Kind is DecisionKind.Allocated or DecisionKind.Rejected;
        }, cancellationToken);
        var trivial = await LoopAsync(workers, duration, async ct =>
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

    /// <summary>Calls per second that succeeded, over the time the loop ran.</summary>
    private static async Task<double> LoopAsync(int workers, TimeSpan duration, Func<CancellationToken, Task<bool>> call, CancellationToken cancellationToken)
    {
        var done = 0L;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(
            async () =>
            {
                while (clock.Elapsed < duration)
                {
                    try
                    {
                        if (await call(cancellationToken))
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
        return done / clock.Elapsed.TotalSeconds;
    }
}
