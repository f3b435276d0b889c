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

    /// <summary>
    /// A valid call to <paramref name="route"/> about tenant a's request <paramref name="requestId"/>, its reservation
    /// <paramref name="reservationId"/> (<see cref="ReserveAsync"/>) and its provider "home".
    /// </summary>
    public static HttpRequestMessage Message((string Method, string Pattern) route, World world, string requestId, string reservationId)
    {
        var path = route.Pattern switch
        {
            "/v1/requests/{id}" or "/v1/requests/{id}/renew" => route.Pattern.Replace("{id}", requestId, StringComparison.Ordinal),
            "/v1/reservations/{id}" => route.Pattern.Replace("{id}", reservationId, StringComparison.Ordinal),
            "/v1/providers/{id}/datacenters" or "/v1/billing/providers/{id}" => route.Pattern.Replace("{id}", world.Id("home"), StringComparison.Ordinal),
            "/v1/billing/tenants/{id}" => route.Pattern.Replace("{id}", world.Id("a"), StringComparison.Ordinal),
            "/v1/datacenters/{dc}/pools/{resource}" => $"/v1/datacenters/{world.Id("dc")}/pools/{world.Resource("storage.ssd")}",
            "/v1/datacenters/{dc}/drain/" => $"/v1/datacenters/{world.Id("dc")}/drain",
            "/openapi/{documentName}.json" => "/openapi/v1.json",
            "/scalar" => "/scalar/v1",
            "/dashboard" => "/dashboard/",
            _ => route.Pattern,
        };
        var body = Key(route) switch
        {
            "POST /v1/requests/" => world.Body("storage.ssd", 1),
            "POST /v1/reservations/" => ReservationBody(world),
            "POST /v1/requests/{id}/renew" => new { lease = "P1D" },
            "PUT /v1/datacenters/{dc}/pools/{resource}" => new { total = 1_000_000 },
            "PUT /v1/federation" => new { },
            "POST /v1/datacenters/{dc}/drain/" => new { reason = "maintenance" },
            _ => (object?)null,
        };
        var message = new HttpRequestMessage(new HttpMethod(route.Method), path);
        if (body is not null)
        {
            message.Content = Json.Content(body);
        }

        return message;
    }

    /// <summary>Books a reservation for tenant a (one unit of storage.ssd, a day ahead, for a day); its id.</summary>
    public static async Task<string> ReserveAsync(World world)
    {
        using var response = await world.Tenant("a").PostAsync("/v1/reservations", Json.Content(ReservationBody(world)));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await Json.ReadAsync(response)).GetProperty("id").GetString()!;
    }

    private static object ReservationBody(World world)
    {
        var now = world.Broker.Clock.GetUtcNow().UtcDateTime;
        string Instant(DateTime at) => at.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        return new { items = new[] { new { resource = world.Resource("storage.ssd"), amount = 1 } }, start = Instant(now.AddDays(1)), end = Instant(now.AddDays(2)) };
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
