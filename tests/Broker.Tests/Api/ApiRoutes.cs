using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Broker.Tests.Api;

/// <summary>
/// The application's own route table, and a well-formed call to each route in a test world: the tests that must
/// cover every endpoint take their list from here, so a new endpoint cannot slip past them.
/// </summary>
/// <remarks>The world needs provider "home" with data center "dc" (storage.ssd) and tenant "a" at home there.</remarks>
internal static class ApiRoutes
{
    public static List<(string Method, string Pattern)> All(IServiceProvider services) =>
        services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (m, Pattern(e.RoutePattern.RawText!))))
            .ToList();

    public static string Key((string Method, string Pattern) route) => $"{route.Method} {route.Pattern}";

    /// <summary>A valid call to <paramref name="route"/> about tenant a's request <paramref name="requestId"/> and its provider "home".</summary>
    public static HttpRequestMessage Message((string Method, string Pattern) route, World world, string requestId)
    {
        var path = route.Pattern switch
        {
            "/v1/requests/{id}" or "/v1/requests/{id}/renew" => route.Pattern.Replace("{id}", requestId, StringComparison.Ordinal),
            "/v1/providers/{id}/datacenters" or "/v1/billing/providers/{id}" => route.Pattern.Replace("{id}", world.Id("home"), StringComparison.Ordinal),
            "/v1/billing/tenants/{id}" => route.Pattern.Replace("{id}", world.Id("a"), StringComparison.Ordinal),
            "/v1/datacenters/{dc}/pools/{resource}" => $"/v1/datacenters/{world.Id("dc")}/pools/{world.Resource("storage.ssd")}",
            "/openapi/{documentName}.json" => "/openapi/v1.json",
            "/scalar" => "/scalar/v1",
            "/dashboard" => "/dashboard/",
            _ => route.Pattern,
        };
        var body = Key(route) switch
        {
            "POST /v1/requests/" => world.Body("storage.ssd", 1),
            "POST /v1/requests/{id}/renew" => new { lease = "P1D" },
            "PUT /v1/datacenters/{dc}/pools/{resource}" => new { total = 1_000_000 },
            "PUT /v1/federation" => new { },
            _ => (object?)null,
        };
        var message = new HttpRequestMessage(new HttpMethod(route.Method), path);
        if (body is not null)
        {
            message.Content = Json.Content(body);
        }

        return message;
    }

    // The dashboard, the API reference page and the portal map many routes of their own (assets too); each shares one rule.
    private static string Pattern(string raw)
    {
        var path = raw.StartsWith('/') ? raw : "/" + raw;
        return path.StartsWith("/dashboard", StringComparison.Ordinal) ? "/dashboard"
            : path.StartsWith("/scalar", StringComparison.Ordinal) ? "/scalar"
            : path.StartsWith("/portal", StringComparison.Ordinal) ? "/portal"
            : path;
    }
}
