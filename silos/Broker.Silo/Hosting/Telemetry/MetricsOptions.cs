namespace Broker.Silo.Hosting.Telemetry;

/// <summary>Who may scrape <c>/metrics</c>, bound from <c>Broker:Metrics</c>.</summary>
public sealed class MetricsOptions
{
    public const string Section = "Broker:Metrics";

    /// <summary>
    /// False (the default): only the federation admin, whose token a Prometheus then sends (<c>authorization</c> in its
    /// scrape config). True: anyone who reaches the HTTP port — for a Prometheus inside the cluster network, where a
    /// network policy decides who reaches it.
    /// </summary>
    public bool AllowAnonymous { get; set; }
}
