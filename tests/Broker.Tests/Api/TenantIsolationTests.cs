using Broker.Silo.Auth;

namespace Broker.Tests.Api;

/// <summary>
/// Object and property level: every endpoint of the route table that answers tenant a is called as a, while
/// tenant b — same home provider, same data center — has requests in every state. No answer may name b, its
/// requests or its credential anywhere: not in lists, bills, traces, the catalogue, capacity or the audit trail.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class TenantIsolationTests(BrokerFixture broker)
{
    [Fact]
    public async Task EveryEndpointAnsweringTenantA_NamesNothingOfTenantB()
    {
        var world = await TwoTenantsAtHomeAsync(100_000);
        var ofB = await EveryStateAsync(world, "b");
        var ofA = await EveryStateAsync(world, "a");
        string[] secretsOfB = [world.Id("b"), Callers.StaticToken(world.Token("b")), world.Token("b"), .. ofB];

        var reservationId = await ApiRoutes.ReserveAsync(world);
        var answered = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var route in ApiRoutes.All(broker.Services).DistinctBy(ApiRoutes.Key))
        {
            var requestId = (await world.RequestAsync("a", world.Body("storage.ssd", 1))).Body.GetProperty("id").GetString()!;
            using var message = ApiRoutes.Message(route, world, requestId, reservationId);
            using var response = await world.Tenant("a").SendAsync(message);
            if (response.IsSuccessStatusCode)
            {
                answered[ApiRoutes.Key(route)] = await response.Content.ReadAsStringAsync();
            }
        }

        var leaks = answered.SelectMany(a => secretsOfB.Where(secret => a.Value.Contains(secret, StringComparison.Ordinal)).Select(secret => $"{a.Key} names '{secret}'")).ToList();
        Assert.True(leaks.Count == 0, string.Join("\n", leaks));
        // Not vacuous: the answers that are about a's own requests do name them.
        Assert.All(["GET /v1/requests/", "GET /v1/audit/", "GET /v1/billing/tenants/{id}"], key => Assert.Contains(ofA[1], answered[key], StringComparison.Ordinal));
        // 17 API endpoints and the portal (which, without its session cookie, shows a bearer caller its sign-in page).
        Assert.Equal(18, answered.Count);
    }

    [Theory]
    [InlineData("create", "tenant")]
    [InlineData("create", "state")]
    [InlineData("create", "id")]
    [InlineData("create", "allocation")]
    [InlineData("create", "tier")]
    [InlineData("create", "pricePerUnitHour")]
    [InlineData("create", "hourlyCost")]
    [InlineData("create", "leaseExpiresAt")]
    [InlineData("create", "trace")]
    [InlineData("renew", "tenant")]
    [InlineData("renew", "leaseExpiresAt")]
    [InlineData("renew", "state")]
    [InlineData("pool", "allocated")]
    [InlineData("pool", "held")]
    [InlineData("pool", "provider")]
    [InlineData("pool", "allocationRatio")]
    public async Task BodyField_ThatIsNotTheCallersToSet_400NamingIt_NothingChanges(string call, string field)
    {
        var world = await TwoTenantsAtHomeAsync(1_000);
        var (_, owned) = await world.RequestAsync("a", world.Body("storage.ssd", 10));
        var id = owned.GetProperty("id").GetString()!;
        var before = await world.GetAsync("a", id);
        var forged = field == "tenant" ? (object)world.Id("b") : field is "allocated" or "held" ? 0 : "forged";
        var (client, path, body) = call switch
        {
            "create" => (world.Tenant("a"), "/v1/requests", With(world.Body("storage.ssd", 5), field, forged)),
            "renew" => (world.Tenant("a"), $"/v1/requests/{id}/renew", With(new() { ["lease"] = "P1D" }, field, forged)),
            _ => (world.Admin("home"), $"/v1/datacenters/{world.Id("dc")}/pools/{world.Resource("storage.ssd")}", With(new() { ["total"] = 2_000 }, field, forged)),
        };

        using var response = await client.SendAsync(new HttpRequestMessage(call == "pool" ? HttpMethod.Put : HttpMethod.Post, path) { Content = Json.Content(body) });
        var problem = await Json.ReadAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid-request", problem.Code());
        Assert.Equal([$"$.{field}"], problem.GetProperty("errors").EnumerateObject().Select(e => e.Name));
        var pool = await world.PoolAsync("dc", "storage.ssd");
        Assert.Equal((10L, 1_000L), (pool.Allocated, pool.Total));
        Assert.Equal(before.Body.ToString(), (await world.GetAsync("a", id)).Body.ToString());
        Assert.Single((await Json.ReadAsync(await world.Tenant("a").GetAsync("/v1/requests"))).GetProperty("items").EnumerateArray());
    }

    /// <summary>Tenants a and b, both at home at provider "home" with its one data center "dc".</summary>
    private Task<World> TwoTenantsAtHomeAsync(long units) => broker.CreateWorldAsync(w =>
    {
        var home = w.Member("home", "DE-HH").DataCenter("dc", "DE-HH", ProtectionLevel.Normal, Pool("storage.ssd", units, 0.0001m));
        w.Tenant("a", home);
        w.Tenant("b", home);
    });

    private static Dictionary<string, object?> With(Dictionary<string, object?> body, string field, object value)
    {
        body[field] = value;
        return body;
    }

    /// <summary>Requests of <paramref name="tenant"/> allocated, renewed, released, rejected; returns their ids.</summary>
    private static async Task<string[]> EveryStateAsync(World world, string tenant)
    {
        var client = world.Tenant(tenant);
        var allocated = (await world.RequestAsync(tenant, world.Body("storage.ssd", 10))).Body.GetProperty("id").GetString()!;
        var released = (await world.RequestAsync(tenant, world.Body("storage.ssd", 20))).Body.GetProperty("id").GetString()!;
        var rejected = (await world.RequestAsync(tenant, world.Body("storage.ssd", 1_000_000))).Body.GetProperty("id").GetString()!;
        // Held for a minute, so that the release is billed (a bill lists what was charged, and no time is no charge).
        world.Broker.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/v1/requests/{allocated}/renew", Json.Content(new { lease = "P3D" }))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.DeleteAsync($"/v1/requests/{released}")).StatusCode);
        return [allocated, released, rejected];
    }
}
