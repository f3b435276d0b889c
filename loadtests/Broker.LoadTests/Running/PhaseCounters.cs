using System.Collections.Concurrent;
using HdrHistogram;

namespace Broker.LoadTests.Running;

/// <summary>
/// Thread-safe tallies of one phase: per-second counts by the second a request was due (sent) or answered
/// (decided), and decision latency in an HDR recorder that the sampler drains once a second.
/// </summary>
public sealed class PhaseCounters(int seconds)
{
    // Decisions can arrive well after the last request was due: room for the drain.
    private readonly int _slots = seconds + 120;
    private readonly int[] _sent = new int[seconds + 120];
    private readonly int[] _decided = new int[seconds + 120];
    private readonly int[] _allocated = new int[seconds + 120];
    private readonly int[] _rejected = new int[seconds + 120];
    private readonly int[] _failed = new int[seconds + 120];

    /// <summary>Microseconds, 1 µs to 10 min, 3 significant digits.</summary>
    public Recorder Latency { get; } = HistogramFactory.With64BitBucketSize().WithValuesFrom(1).WithValuesUpTo(600_000_000).WithPrecisionOf(3).WithThreadSafeWrites().WithThreadSafeReads().Create();

    public ConcurrentDictionary<string, int> ByTier { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, int> RejectedByCode { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, int> FailedByCode { get; } = new(StringComparer.Ordinal);

    public int InFlight => Volatile.Read(ref _inFlight);

    private int _inFlight;

    public void Sent(TimeSpan due)
    {
        Interlocked.Increment(ref _inFlight);
        Interlocked.Increment(ref _sent[Slot(due)]);
    }

    public void Allocated(TimeSpan at, TimeSpan latency, string tier)
    {
        Decided(at, latency, _allocated);
        ByTier.AddOrUpdate(tier, 1, (_, n) => n + 1);
    }

    public void Rejected(TimeSpan at, TimeSpan latency, string code)
    {
        Decided(at, latency, _rejected);
        RejectedByCode.AddOrUpdate(code, 1, (_, n) => n + 1);
    }

    public void Failed(TimeSpan at, string code)
    {
        Interlocked.Increment(ref _failed[Slot(at)]);
        FailedByCode.AddOrUpdate(code, 1, (_, n) => n + 1);
    }

    public void Done() => Interlocked.Decrement(ref _inFlight);

    public (int Sent, int Decided, int Allocated, int Rejected, int Failed) At(int second) =>
        (Volatile.Read(ref _sent[second]), Volatile.Read(ref _decided[second]), Volatile.Read(ref _allocated[second]), Volatile.Read(ref _rejected[second]), Volatile.Read(ref _failed[second]));

    private void Decided(TimeSpan at, TimeSpan latency, int[] kind)
    {
        Latency.RecordValue(Math.Max(1, (long)(latency.Ticks / 10)));
        var slot = Slot(at);
        Interlocked.Increment(ref _decided[slot]);
        Interlocked.Increment(ref kind[slot]);
    }

    private int Slot(TimeSpan at) => Math.Clamp((int)at.TotalSeconds, 0, _slots - 1);
}
