using System.Diagnostics.Metrics;
using Broker.Grains.Telemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Orleans.Diagnostics;

namespace Broker.Silo.Hosting.Telemetry;

/// <summary>
/// OpenTelemetry for a silo: metrics always, for the Prometheus scrape at <see cref="MetricsEndpoint.Path"/> — the
/// broker's own meter, Orleans', ASP.NET Core's and the .NET runtime's; traces and logs over OTLP only when
/// <see cref="OtlpEndpoint"/> is configured, and then Orleans' grain calls become spans too. Without it nothing is
/// exported and no span is made.
/// </summary>
public static class BrokerTelemetry
{
    /// <summary>The standard OpenTelemetry setting (an environment variable, or any other configuration source).</summary>
    public const string OtlpEndpoint = "OTEL_EXPORTER_OTLP_ENDPOINT";

    private const string ServiceName = "broker";

    private static readonly string[] OrleansSpans = [ActivitySources.RuntimeActivitySourceName, ActivitySources.ApplicationGrainActivitySourceName];

    public static bool ExportsOtlp(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration[OtlpEndpoint]);

    public static IServiceCollection AddBrokerTelemetry(this IServiceCollection services, IConfiguration configuration, BrokerOptions broker)
    {
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => Describe(resource, configuration, broker))
            .WithMetrics(metrics => metrics
                .AddMeter(BrokerMetrics.MeterName, "Microsoft.Orleans")
                // Microsoft.AspNetCore.Hosting and Microsoft.AspNetCore.Server.Kestrel, with routing and rate limiting.
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                // No cached answer: a scrape shows the state at that moment, and costs what the series count, nothing more.
                .AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0));
        services.ConfigureOpenTelemetryMeterProvider((provider, metrics) => metrics.AddView(OwnMetersOnly(provider.GetRequiredService<IMeterFactory>())));
        if (ExportsOtlp(configuration))
        {
            telemetry
                .WithTracing(tracing => tracing
                    .AddSource(OrleansSpans)
                    .AddAspNetCoreInstrumentation(http => http.Filter = context => !IsScrapeOrProbe(context.Request.Path))
                    .AddOtlpExporter())
                .WithLogging(logging => logging.AddOtlpExporter(), options => options.IncludeFormattedMessage = true);
        }

        return services;
    }

    /// <summary>Grain calls carry their trace context and become spans, only when spans are exported (it costs every call).</summary>
    public static ISiloBuilder UseBrokerTracing(this ISiloBuilder silo, IConfiguration configuration) =>
        ExportsOtlp(configuration) ? silo.AddActivityPropagation() : silo;

    /// <summary>
    /// Meters made by another host's factory are left out: a process with several brokers (tests, the load harness's
    /// embedded ones) would otherwise export each broker's requests and decisions at every broker's scrape, twice named.
    /// Meters made without a factory (the runtime's) belong to the whole process and stay.
    /// </summary>
    private static Func<Instrument, MetricStreamConfiguration?> OwnMetersOnly(IMeterFactory own) =>
        instrument => instrument.Meter.Scope is null || ReferenceEquals(instrument.Meter.Scope, own) ? null : MetricStreamConfiguration.Drop;

    private static void Describe(ResourceBuilder resource, IConfiguration configuration, BrokerOptions broker)
    {
        // OTEL_SERVICE_NAME, when set, names the service; otherwise every silo is "broker", told apart by provider.
        if (string.IsNullOrWhiteSpace(configuration["OTEL_SERVICE_NAME"]))
        {
            resource.AddService(ServiceName);
        }

        if (!string.IsNullOrEmpty(broker.Provider))
        {
            resource.AddAttributes([new("broker.provider", broker.Provider)]);
        }
    }

    private static bool IsScrapeOrProbe(PathString path) =>
        path.StartsWithSegments(MetricsEndpoint.Path) || path.StartsWithSegments("/health");
}
