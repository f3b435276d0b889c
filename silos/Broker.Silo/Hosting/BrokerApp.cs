using Broker.Grains;
using Broker.Grains.Placement;
using Broker.Silo.Api;
using Broker.Silo.Auth;
using Broker.Silo.Hosting.Telemetry;
using Broker.Silo.Json;
using Broker.Silo.OpenApi;
using Broker.Silo.Portal;
using Orleans.Dashboard;
using Scalar.AspNetCore;

namespace Broker.Silo.Hosting;

/// <summary>
/// Composes the silo: Orleans with the broker's grains, the v1 HTTP API, its reference pages, the portal, the
/// dashboard and the Prometheus scrape. <c>Program</c> and the tests build the same application; tests only swap settings and the clock.
/// </summary>
public static class BrokerApp
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    public const long MaxRequestBodyBytes = 1024 * 1024;

    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? customize = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        // No legitimate body is anywhere near this; a larger one is refused before it is read (413).
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes);
        builder.Services.AddOptions<BrokerOptions>().BindConfiguration(BrokerOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var broker = builder.Configuration.GetSection(BrokerOptions.Section).Get<BrokerOptions>() ?? new BrokerOptions();
        builder.UseOrleans(silo =>
        {
            silo.UseBrokerStorage(broker, builder.Configuration);
            silo.UseProviderAffinePlacement(broker.Provider);
            silo.UseBrokerTls(builder.Configuration);
            silo.UseBrokerTracing(builder.Configuration);
            silo.AddDashboard();
        });
        builder.Services.AddBrokerGrains();
        builder.Services.AddBrokerTelemetry(builder.Configuration, broker);

        // Registered after Orleans, so they start once the silo has joined the cluster.
        builder.Services.AddHostedService<FederationLoader>();
        builder.Services.AddHostedService<StartupBanner>();

        builder.Services.ConfigureHttpJsonOptions(json => BrokerJson.Configure(json.SerializerOptions));
        builder.Services.AddProblemDetails();
        builder.Services.AddBrokerAuth(builder.Configuration);
        builder.Services.AddTenantRateLimits();
        builder.Services.AddBrokerOpenApi();
        builder.Services.AddBrokerPortal();
        builder.Services.AddBrokerKeyRing(broker);
        builder.Services.AddHealthChecks().AddCheck<ReadinessCheck>("cluster", tags: ["ready"]);
        customize?.Invoke(builder);

        var app = builder.Build();
        app.UseBrokerErrors();
        app.UseBrokerPortal();
        // Routing after the portal's status code pages, so that a page they re-execute is routed anew.
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.MapOpenApi();
        app.MapScalarApiReference();
        app.MapHealthChecks(HealthOperations.LivePath, new() { Predicate = _ => false });
        app.MapHealthChecks(HealthOperations.ReadyPath, new() { Predicate = check => check.Tags.Contains("ready") });
        app.MapRequestsApi();
        app.MapReservationsApi();
        app.MapFederationApi();
        app.MapDrainApi();
        app.MapBillingApi();
        app.MapAuditApi();
        app.MapBrokerMetrics();
        app.MapBrokerPortal();
        app.MapOrleansDashboard(routePrefix: "/dashboard").RequireAuthorization(Callers.FederationAdminPolicy);
        return app;
    }
}
