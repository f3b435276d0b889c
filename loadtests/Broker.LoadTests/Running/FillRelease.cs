using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Broker.LoadTests.Demand;
using Broker.LoadTests.Report;
using Broker.LoadTests.Targets;
using Broker.LoadTests.World;

namespace Broker.LoadTests.Running;

/// <summary>
/// Gives back everything a fill kept: <paramref name="concurrency"/> releases at a time, a progress line a
/// second, failed ones tried once more, all within <paramref name="limit"/>; then how much the broker still
/// shows allocated. What the limit cut off is reported as not attempted.
/// </summary>
public sealed class FillRelease(IBrokerTarget target, LoadWorld world, FillPlan plan, TextWriter progress, int concurrency, TimeSpan limit)
{
    private int _released;
    private int _attempted;

    public async Task<ReleaseSummary> RunAsync(KeptAllocations kept, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(limit);
        using var stopProgress = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reporting = ReportAsync(kept.Count, clock, stopProgress.Token);

        var failed = await ReleaseAsync(kept.All(), countAttempts: true, deadline.Token);
        if (!failed.IsEmpty && !deadline.IsCancellationRequested)
        {
            await ReleaseAsync(failed, countAttempts: false, deadline.Token);
        }

        await stopProgress.CancelAsync();
        await reporting;
        var seconds = clock.Elapsed.TotalSeconds;
        // Tried and not given back: failed twice, or cut off by the time limit mid-call.
        var notReleased = _attempted - _released;
        progress.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[release] {_released:N0} of {kept.Count:N0} released in {seconds:0.0} s, {notReleased:N0} failed"));
        var after = await PhaseRunner.SettledAllocationAsync(target, world, cancellationToken);
        return new ReleaseSummary(
            kept.Count, _released, notReleased, kept.Count - _attempted, Math.Round(seconds, 2), Math.Round(_released / seconds, 1), after);
    }

    /// <summary>Releases the items until done or the deadline; returns those whose release failed.</summary>
    private async Task<ConcurrentQueue<(int Template, string RequestId)>> ReleaseAsync(
        IEnumerable<(int Template, string RequestId)> items, bool countAttempts, CancellationToken deadline)
    {
        var failed = new ConcurrentQueue<(int, string)>();
        try
        {
            await Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = deadline }, async (item, ct) =>
            {
                if (countAttempts)
                {
                    Interlocked.Increment(ref _attempted);
                }

                try
                {
                    await target.ReleaseAsync(plan.Templates[item.Template], item.RequestId, ct);
                    Interlocked.Increment(ref _released);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    failed.Enqueue(item);
                }
            });
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            progress.WriteLine($"[release] stopped at the time limit of {limit.TotalSeconds:0} s");
        }

        return failed;
    }

    private async Task ReportAsync(int total, Stopwatch clock, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var released = Volatile.Read(ref _released);
            progress.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"[release] {clock.Elapsed.TotalSeconds,5:0} s  released {released,9:N0} of {total:N0} ({(total == 0 ? 1 : (double)released / total),6:P1})"));
        }
    }
}
