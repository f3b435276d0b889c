using Broker.LoadTests.Report;
using HdrHistogram;

namespace Broker.LoadTests.Running;

/// <summary>
/// A fill run cut into <see cref="Count"/> stretches of equal numbers of live allocations (each 5 % of the
/// target): a decision belongs to the stretch the live count was in when it came back. Per stretch: how long
/// it took, how many decisions came back in it, and their latency. Thread-safe.
/// </summary>
public sealed class FillBuckets
{
    public const int Count = 20;

    private readonly long _target;
    private readonly long[] _enteredTicks = new long[Count];
    private readonly long[] _decisions = new long[Count];
    private readonly long[] _allocated = new long[Count];
    private readonly LongConcurrentHistogram[] _latency;

    public FillBuckets(long target)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(target, 1);
        _target = target;
        Array.Fill(_enteredTicks, -1);
        _enteredTicks[0] = 0;
        // Microseconds, 1 µs to 10 min, 3 significant digits: as the phases' histograms.
        _latency = Enumerable.Range(0, Count).Select(_ => new LongConcurrentHistogram(1, 600_000_000, 3)).ToArray();
    }

    /// <summary>The stretch a live count is in: 0 for the first 5 % of the target, <see cref="Count"/> − 1 for the last.</summary>
    public static int Of(long live, long target) => (int)Math.Clamp(live * Count / target, 0, Count - 1);

    /// <summary>The first live count of a stretch.</summary>
    public static long Start(int bucket, long target) => ((bucket * target) + Count - 1) / Count;

    /// <summary>An allocation came back at <paramref name="at"/>; <paramref name="liveBefore"/> were live without it.</summary>
    public void Allocated(long liveBefore, TimeSpan at, TimeSpan latency)
    {
        var bucket = Of(liveBefore, _target);
        if (liveBefore == Start(bucket, _target) && bucket > 0)
        {
            Interlocked.CompareExchange(ref _enteredTicks[bucket], at.Ticks, -1);
        }

        Record(bucket, latency);
        Interlocked.Increment(ref _allocated[bucket]);
    }

    /// <summary>A rejection came back while <paramref name="live"/> were live.</summary>
    public void Rejected(long live, TimeSpan latency) => Record(Of(live, _target), latency);

    /// <summary>The stretches reached, the last one ending at <paramref name="end"/> (where the loop stopped).</summary>
    public IReadOnlyList<FillBucket> Results(TimeSpan end)
    {
        var results = new List<FillBucket>();
        for (var b = 0; b < Count && _enteredTicks[b] >= 0; b++)
        {
            var next = b + 1 < Count && _enteredTicks[b + 1] >= 0 ? _enteredTicks[b + 1] : end.Ticks;
            var seconds = TimeSpan.FromTicks(Math.Max(1, next - _enteredTicks[b])).TotalSeconds;
            var histogram = _latency[b];
            double Ms(double percentile) => histogram.TotalCount == 0 ? 0 : Math.Round(histogram.GetValueAtPercentile(percentile) / 1000.0, 2);
            var to = b + 1 < Count ? Start(b + 1, _target) : _target;
            results.Add(new FillBucket(
                b,
                Start(b, _target),
                to,
                _decisions[b],
                _allocated[b],
                Math.Round(seconds, 3),
                Math.Round(_decisions[b] / seconds, 1),
                Ms(50),
                Ms(99),
                Complete: _allocated[b] >= to - Start(b, _target)));
        }

        return results;
    }

    private void Record(int bucket, TimeSpan latency)
    {
        _latency[bucket].RecordValue(Math.Max(1, latency.Ticks / 10));
        Interlocked.Increment(ref _decisions[bucket]);
    }
}
