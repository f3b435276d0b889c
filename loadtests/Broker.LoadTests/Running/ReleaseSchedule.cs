using System.Diagnostics;
using Broker.LoadTests.Demand;
using Broker.LoadTests.Targets;

namespace Broker.LoadTests.Running;

/// <summary>
/// Gives allocations back when their hold time is up, as the authorities would, and at the end gives back
/// whatever is still held. A release that fails is kept and tried again at the end.
/// </summary>
public sealed class ReleaseSchedule(IBrokerTarget target, Stopwatch clock)
{
    private readonly PriorityQueue<(Arrival Arrival, string RequestId), TimeSpan> _due = new();
    private readonly Lock _lock = new();

    private int _failures;

    public int Failures => Volatile.Read(ref _failures);

    public void Add(Arrival arrival, string requestId, TimeSpan at)
    {
        lock (_lock)
        {
            _due.Enqueue((arrival, requestId), at);
        }
    }

    public async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var now = clock.Elapsed;
            var ready = Take(at => at <= now);
            if (ready.Count > 0)
            {
                await ReleaseAsync(ready, CancellationToken.None);
            }

            try
            {
                await Task.Delay(50, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Releases everything still held; tries failed releases again a few times, a little later each time.</summary>
    public async Task ReleaseAllAsync(CancellationToken cancellationToken)
    {
        for (var round = 0; round < 5; round++)
        {
            var all = Take(_ => true);
            if (all.Count == 0)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromSeconds(round), cancellationToken);
            await ReleaseAsync(all, cancellationToken);
        }
    }

    private List<(Arrival Arrival, string RequestId)> Take(Func<TimeSpan, bool> due)
    {
        var ready = new List<(Arrival, string)>();
        lock (_lock)
        {
            while (_due.TryPeek(out var item, out var at) && due(at))
            {
                _due.Dequeue();
                ready.Add(item);
            }
        }

        return ready;
    }

    private Task ReleaseAsync(List<(Arrival Arrival, string RequestId)> items, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = cancellationToken }, async (item, ct) =>
        {
            try
            {
                await target.ReleaseAsync(item.Arrival, item.RequestId, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Interlocked.Increment(ref _failures);
                Add(item.Arrival, item.RequestId, TimeSpan.Zero);
            }
        });
}
