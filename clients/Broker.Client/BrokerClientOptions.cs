namespace Broker.Client;

/// <summary>Where the broker is, who the caller is, and how patiently to call it.</summary>
public sealed class BrokerClientOptions
{
    /// <summary>The broker's base address, e.g. <c>http://127.0.0.1:5080</c>.</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>The bearer token sent with every call unless a call names its own (<see cref="BrokerClient.As"/>).</summary>
    public string? Token { get; set; }

    /// <summary>
    /// The limit for one attempt. Longer than the broker's own decision wait (10 s by default), so that a
    /// slow decision answers 202 rather than being cut off and retried.
    /// </summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The limit for a call with all its retries.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Retries after the first attempt, for transient failures only.</summary>
    public int MaxRetries { get; set; } = 4;

    /// <summary>The first backoff; later ones grow exponentially, with jitter. A <c>Retry-After</c> header wins.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The share of failed calls within <see cref="BreakerSamplingWindow"/> that opens the circuit.</summary>
    public double BreakerFailureRatio { get; set; } = 0.5;

    /// <summary>How many calls the window must hold before the breaker judges at all.</summary>
    public int BreakerMinimumThroughput { get; set; } = 20;

    public TimeSpan BreakerSamplingWindow { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an open circuit refuses calls before it lets one through to probe.</summary>
    public TimeSpan BreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often <see cref="BrokerClient.WaitForDecisionAsync"/> polls a request that is still negotiating.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(250);
}
