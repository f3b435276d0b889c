using System.Threading.RateLimiting;

namespace Broker.Silo.Hosting;

/// <summary>
/// A token bucket read from a <see cref="TimeProvider"/>: <paramref name="perPeriod"/> tokens are added for each whole
/// period passed, up to <paramref name="limit"/>, when a call asks. The framework's TokenBucketRateLimiter refills on a
/// wall-clock timer and takes no TimeProvider, so under the broker's injected clock it could not be tested without
/// waiting; this one follows the broker's clock like everything else that depends on time. No queue: a call either
/// gets its permits now or is refused with the time until the next refill.
/// </summary>
internal sealed class ClockTokenBucket(TimeProvider time, int limit, int perPeriod, TimeSpan period) : RateLimiter
{
    private readonly Lock _lock = new();
    private long _tokens = limit;
    private long _lastRefill = time.GetTimestamp();

    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (_lock)
            {
                Refill();
                return _tokens == limit ? time.GetElapsedTime(_lastRefill) : null;
            }
        }
    }

    public override RateLimiterStatistics? GetStatistics()
    {
        lock (_lock)
        {
            Refill();
            return new RateLimiterStatistics { CurrentAvailablePermits = _tokens };
        }
    }

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        lock (_lock)
        {
            Refill();
            if (_tokens >= permitCount)
            {
                _tokens -= permitCount;
                return Lease.Acquired;
            }

            return new Lease(false, period - time.GetElapsedTime(_lastRefill));
        }
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AttemptAcquireCore(permitCount));

    private void Refill()
    {
        var periods = time.GetElapsedTime(_lastRefill).Ticks / period.Ticks;
        if (periods <= 0)
        {
            return;
        }

        _tokens = Math.Min(limit, _tokens + (periods * perPeriod));
        // Whole periods only, in the clock's timestamp units (exact, without overflow after a long idle).
        _lastRefill += (long)((Int128)periods * period.Ticks * time.TimestampFrequency / TimeSpan.TicksPerSecond);
    }

    private sealed class Lease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public static readonly Lease Acquired = new(true, null);

        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = retryAfter;
            return retryAfter is not null && metadataName == MetadataName.RetryAfter.Name;
        }
    }
}
