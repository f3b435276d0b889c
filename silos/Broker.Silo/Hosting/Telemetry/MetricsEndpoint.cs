using Broker.Silo.Auth;

namespace Broker.Silo.Hosting.Telemetry;

/// <summary><c>/metrics</c>: the Prometheus scrape, the federation admin's unless <see cref="MetricsOptions.AllowAnonymous"/>.</summary>
public static class MetricsEndpoint
{
    public const string Path = "/metrics";

    public static void MapBrokerMetrics(this WebApplication app)
    {
        var options = app.Configuration.GetSection(MetricsOptions.Section).Get<MetricsOptions>() ?? new MetricsOptions();
        // Operations' endpoint, not the v1 API's: it stays out of the OpenAPI document, as the dashboard does.
        var scrape = app.MapPrometheusScrapingEndpoint(Path).ExcludeFromDescription();

        // No label names a tenant (data center, resource, outcome, tier, route), but the scrape is the operation's inside
        // view — how busy the broker is, what it refuses, its runtime — and every pool's load: without a token the API
        // shows none of that, so by default neither does this. An in-cluster Prometheus holding no token is the opt-in.
        if (options.AllowAnonymous)
        {
            scrape.AllowAnonymous();
        }
        else
        {
            scrape.RequireAuthorization(Callers.FederationAdminPolicy);
        }
    }
}
