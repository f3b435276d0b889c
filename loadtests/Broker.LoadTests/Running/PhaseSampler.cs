using System.Diagnostics;
using System.Globalization;
using Broker.LoadTests.Targets;
using Broker.LoadTests.World;
using HdrHistogram;

namespace Broker.LoadTests.Running;

/// <summary>
/// Once a second: drains the latency recorder into that second's percentiles and the phase's total, reads
/// every pool's capacity (utilisation per provider, overcommit check), and prints a progress line, ending
/// with what <paramref name="status"/> adds for that second (a fill run: the live allocations).
/// </summary>
public sealed class PhaseSampler(
    IBrokerTarget target, LoadWorld world, PhaseCounters counters, Stopwatch clock, TextWriter progress, string name, int seconds, Func<int, string>? status = null)
{
    private readonly LongHistogram _total = new(600_000_000, 3);
    private readonly List<SecondSample> _timeline = [];
    private HistogramBase? _interval;

    public int CapacitySamples { get; private set; }

    /// <summary>Seconds whose capacity could not be read: each fails the run's invariants, as it may have hidden an overcommit.</summary>
    public int FailedCapacitySamples { get; private set; }

    public int OvercommittedPoolSamples { get; private set; }

    public async Task RunAsync(CancellationToken stop)
    {
        var second = 0;
        while (true)
        {
            var next = TimeSpan.FromSeconds(second + 1);
            try
            {
                if (next > clock.Elapsed)
                {
                    await Task.Delay(next - clock.Elapsed, stop);
                }
            }
            catch (OperationCanceledException)
            {
                Drain(second, null);
                return;
            }

            IReadOnlyDictionary<string, double>? utilisation = null;
            try
            {
                using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                var sample = await target.SampleCapacityAsync(world, limit.Token);
                CapacitySamples++;
                OvercommittedPoolSamples += sample.OvercommittedPools;
                utilisation = sample.Utilisation.ToDictionary(u => u.Key, u => Math.Round(u.Value, 4), StringComparer.Ordinal);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stop.IsCancellationRequested)
            {
                // A sample missed (a slow answer, an error) leaves a gap in the chart and is counted: the invariants
                // do not hold over a second nobody looked at.
                FailedCapacitySamples++;
                progress.WriteLine($"[{name}] capacity sample {second + 1} failed: {e.GetType().Name}: {e.Message}");
            }

            Drain(second, utilisation);
            second++;
        }
    }

    public LatencySummary Latency()
    {
        double Ms(double micros) => Math.Round(micros / 1000, 2);
        return _total.TotalCount == 0
            ? new LatencySummary(0, 0, 0, 0, 0, 0, 0)
            : new LatencySummary(
                _total.TotalCount,
                Ms(_total.GetMean()),
                Ms(_total.GetValueAtPercentile(50)),
                Ms(_total.GetValueAtPercentile(95)),
                Ms(_total.GetValueAtPercentile(99)),
                Ms(_total.GetValueAtPercentile(99.9)),
                Ms(_total.GetMaxValue()));
    }

    public IReadOnlyList<SecondSample> Timeline() => _timeline;

    private void Drain(int second, IReadOnlyDictionary<string, double>? utilisation)
    {
        _interval = counters.Latency.GetIntervalHistogram(_interval);
        _total.Add(_interval);
        var (sent, decided, allocated, rejected, failed) = counters.At(second);
        double Ms(double percentile) => _interval.TotalCount == 0 ? 0 : Math.Round(_interval.GetValueAtPercentile(percentile) / 1000.0, 2);
        var sample = new SecondSample(second, sent, decided, allocated, rejected, failed, Ms(50), Ms(95), Ms(99), utilisation);
        _timeline.Add(sample);
        progress.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"[{name}] {second + 1,4}/{seconds} s  due {sent,6:N0}  decided {decided,6:N0}  allocated {allocated,6:N0}  rejected {rejected,5:N0}  failed {failed,4:N0}  p50 {sample.P50,7:0.00} ms  p99 {sample.P99,8:0.00} ms  in flight {counters.InFlight,5:N0}{status?.Invoke(second)}"));
    }
}
