using System.Diagnostics;
using System.Diagnostics.Metrics;
using Broker.Domain;
using Broker.Grains.Directory;

namespace Broker.Grains.Telemetry;

/// <summary>
/// The broker's own instruments, on the meter <see cref="MeterName"/>: the one place that names them, gives their
/// units and spells their labels. One per silo, created through the host's <see cref="IMeterFactory"/>, so that a
/// process running several brokers (the tests, the load harness's embedded ones) keeps each broker's figures apart.
/// </summary>
/// <remarks>
/// The names are chosen for the Prometheus names the exporter derives from name and unit: dots become underscores, a
/// unit in braces adds nothing, <c>s</c> adds <c>_seconds</c>, <c>1</c> on a gauge adds <c>_ratio</c>, and a counter
/// gains <c>_total</c> — so <c>broker.decisions</c> is scraped as <c>broker_decisions_total</c>. Durations are wall
/// time: the broker's clock (<see cref="BrokerTime"/>) is the business clock of leases and bills, which tests move.
/// </remarks>
public sealed class BrokerMetrics
{
    public const string MeterName = "Broker";

    // From a millisecond to ten seconds: a decision in memory takes milliseconds, a durable one waits for commits.
    private static readonly double[] SecondsBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    // A flush carries one commit when idle and up to PostgresRowStore.MaxWritesPerFlush under load.
    private static readonly int[] BatchBuckets = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000];

    private readonly Counter<long> _decisions;
    private readonly Histogram<double> _decisionDuration;
    private readonly UpDownCounter<long> _liveAllocations;
    private readonly Histogram<int> _storageBatchSize;
    private readonly Histogram<double> _auditAppendDuration;

    public BrokerMetrics(IMeterFactory meters, CapacityDirectory directory)
    {
        var meter = meters.Create(MeterName);
        _decisions = meter.CreateCounter<long>(
            "broker.decisions", "{decision}", "Requests decided and stored: outcome allocated or the rejection's reason code; tier home, federation, partner or none");
        _decisionDuration = meter.CreateHistogram(
            "broker.decision.duration", "s", "From a request's submission to its stored decision, on the silo that took the submission",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        _liveAllocations = meter.CreateUpDownCounter<long>(
            "broker.allocations.live", "{allocation}", "Allocations whose lease runs, in the data centers this silo hosts");
        meter.CreateObservableGauge(
            "broker.pool.utilisation_ratio", () => PoolUtilisation(directory), "1", "Allocated over capacity of each pool, as this silo's copy of the capacity directory has it");
        _storageBatchSize = meter.CreateHistogram(
            "broker.storage.batch_size", "{commit}", "Commits sent to PostgreSQL in one flush of the row store",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = BatchBuckets });
        _auditAppendDuration = meter.CreateHistogram(
            "broker.audit.append.duration", "s", "From an append reaching its audit chain to the write that stores it",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
    }

    /// <summary>A decision was stored. <paramref name="sinceSubmit"/>: how long since the submission, when this activation took it.</summary>
    public void Decided(Tier? tier, RejectionCode? rejection, TimeSpan? sinceSubmit)
    {
        _decisions.Add(1, DecisionLabels.Of(tier, rejection));
        if (sinceSubmit is { } elapsed)
        {
            _decisionDuration.Record(elapsed.TotalSeconds);
        }
    }

    /// <summary>Live allocations came or went (<paramref name="delta"/> of them) in a data center on this silo.</summary>
    public void LiveAllocationsChanged(int delta) => _liveAllocations.Add(delta);

    public void StorageFlushed(int commits) => _storageBatchSize.Record(commits);

    public void AuditAppended(TimeSpan elapsed) => _auditAppendDuration.Record(elapsed.TotalSeconds);

    /// <summary>One reading per pool the directory knows: the work of a scrape follows the number of pools, nothing else.</summary>
    private static IEnumerable<Measurement<double>> PoolUtilisation(CapacityDirectory directory)
    {
        foreach (var dataCenter in directory.All)
        {
            foreach (var pool in dataCenter.Pools)
            {
                // A pool of no capacity cannot give anything: full.
                var ratio = pool.Capacity == 0 ? 1.0 : (double)pool.Allocated / pool.Capacity;
                yield return new Measurement<double>(ratio, new TagList { { "data_center", dataCenter.Id }, { "resource", pool.Resource } });
            }
        }
    }
}
