using System.Text.Json;
using Broker.DataCenters;

namespace Broker.Tests.Infrastructure;

/// <summary>A registered test world: clients for its tenants and admins, and its ids.</summary>
public sealed class World(BrokerFixture broker, WorldBuilder builder)
{
    // One client per principal, as a real client would keep: a fresh connection per call would measure the sockets, not the broker.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, HttpClient> _clients = new();

    public BrokerFixture Broker => broker;

    /// <summary>The same world as seen through another broker over the same storage (a restart): its clients call that one.</summary>
    public World On(BrokerFixture other) => new(other, builder);

    public string Id(string name) => builder.Id(name);

    public string Resource(string resourceClass) => builder.Resource(resourceClass);

    /// <summary>The bearer token of a tenant of this world.</summary>
    public string Token(string tenant) => builder.TokenOf(tenant);

    /// <summary>The bearer token of a provider's admin in this world.</summary>
    public string AdminToken(string providerName) => builder.AdminTokenOf(providerName);

    /// <summary>The shared client of a tenant; do not dispose it.</summary>
    public HttpClient Tenant(string name) => _clients.GetOrAdd(builder.TokenOf(name), token => broker.Client(token));

    /// <summary>The shared client of a provider's admin; do not dispose it.</summary>
    public HttpClient Admin(string providerName) => _clients.GetOrAdd(builder.AdminTokenOf(providerName), token => broker.Client(token));

    /// <summary>POSTs a request as <paramref name="tenant"/>; polls it to a decision if the broker answered 202.</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> RequestAsync(string tenant, object body, string? idempotencyKey = null)
    {
        var client = Tenant(tenant);
        using var message = new HttpRequestMessage(HttpMethod.Post, "/v1/requests") { Content = Json.Content(body) };
        if (idempotencyKey is not null)
        {
            message.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        using var response = await client.SendAsync(message);
        var json = await Json.ReadAsync(response);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            return (response.StatusCode, json);
        }

        var decided = await Eventually.ReturnsAsync(
            () => GetAsync(tenant, json.GetProperty("id").GetString()!),
            r => r.Body.GetProperty("state").GetString() != "negotiating",
            "request decided");
        return (response.StatusCode, decided.Body);
    }

    public async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string tenant, string requestId)
    {
        var client = Tenant(tenant);
        using var response = await client.GetAsync($"/v1/requests/{requestId}");
        return (response.StatusCode, await Json.ReadAsync(response));
    }

    /// <summary>The owner's exact view of a data center's pools (not the directory's copy).</summary>
    public async Task<PoolSummary> PoolAsync(string dataCenter, string resourceClass)
    {
        var summary = await broker.Grains.GetGrain<IDataCenterGrain>(Id(dataCenter)).GetCapacityAsync();
        return summary!.Pool(Resource(resourceClass))!;
    }

    /// <summary>A request body with one item and optional extras merged in.</summary>
    public Dictionary<string, object?> Body(string resourceClass, long amount, object? constraints = null, string? lease = null, string? priority = null, bool? splittable = null)
    {
        var body = new Dictionary<string, object?> { ["items"] = new[] { new { resource = Resource(resourceClass), amount } } };
        if (constraints is not null)
        {
            body["constraints"] = constraints;
        }

        if (lease is not null)
        {
            body["lease"] = lease;
        }

        if (priority is not null)
        {
            body["priority"] = priority;
        }

        if (splittable is not null)
        {
            body["splittable"] = splittable;
        }

        return body;
    }
}

/// <summary>Reading the API's JSON answers in assertions.</summary>
public static class Answers
{
    public static string State(this JsonElement request) => request.GetProperty("state").GetString()!;

    public static string? ReasonCode(this JsonElement request) =>
        request.GetProperty("reason").ValueKind == JsonValueKind.Null ? null : request.GetProperty("reason").GetProperty("code").GetString();

    public static string Tier(this JsonElement request) => request.GetProperty("allocation").GetProperty("tier").GetString()!;

    public static string[] DataCenters(this JsonElement request) =>
        request.GetProperty("allocation").GetProperty("parts").EnumerateArray().Select(p => p.GetProperty("dataCenter").GetString()!).ToArray();

    public static string Code(this JsonElement problem) => problem.GetProperty("code").GetString()!;
}
