using static Broker.Tests.Api.ApiExpectations;

namespace Broker.Tests.Api;

/// <summary>The request endpoints: success and every client error, each as a problem document with its code.</summary>
[Collection(BrokerCollection.Name)]
public sealed class RequestsApiTests(BrokerFixture broker)
{
    [Fact]
    public async Task Create_MalformedOrOutOfRange_400InvalidRequestAndNothingAllocated()
    {
        var world = await CreateWorldAsync();
        var tenant = world.Tenant("a");
        var ssd = world.Resource("storage.ssd");
        object[] bad =
        [
            "{ not json",
            "[]",
            new { items = Array.Empty<object>() },
            new { items = Enumerable.Range(0, 17).Select(i => new { resource = ssd, amount = 1 }).ToArray() },
            new { items = new[] { new { resource = ssd, amount = 0 } } },
            new { items = new[] { new { resource = ssd, amount = -5 } } },
            new { items = new[] { new { resource = "storage.unknown", amount = 5 } } },
            new { items = new object[] { new { resource = ssd, amount = "5" } } },
            new { items = new object[] { new { resource = ssd, amount = 1.5 } } },
            new { items = new[] { new { resource = ssd, amount = 5 }, new { resource = ssd, amount = 6 } } },
            new { items = new[] { new { resource = ssd, amount = 5 } }, tenant = "someone-else" },
            new { items = new[] { new { resource = ssd, amount = 5 } }, state = "allocated" },
            new { items = new[] { new { resource = ssd, amount = 5 } }, lease = "P1M" },
            new { items = new[] { new { resource = ssd, amount = 5 } }, lease = "P366D" },
            new { items = new[] { new { resource = ssd, amount = 5 } }, lease = "PT0S" },
            new { items = new[] { new { resource = ssd, amount = 5 } }, priority = "urgent" },
            new { items = new[] { new { resource = ssd, amount = 5 } }, constraints = new { residency = "Hamburg" } },
            new { items = new[] { new { resource = ssd, amount = 5 } }, constraints = new { protectionLevel = "secret" } },
            new { items = new[] { new { resource = ssd, amount = 5 } }, constraints = new { maxHourlyCost = -1 } },
            new { items = new[] { new { resource = ssd, amount = 5 } }, constraints = new { providers = new { allow = new[] { "Not An Id!" } } } },
        ];

        foreach (var body in bad)
        {
            await ExpectAsync(tenant, HttpMethod.Post, "/v1/requests", body, HttpStatusCode.BadRequest, "invalid-request");
        }

        await ExpectAsync(tenant, HttpMethod.Post, "/v1/requests", "items=5", HttpStatusCode.UnsupportedMediaType, "unsupported-media-type", "text/plain");
        await ExpectAsync(tenant, HttpMethod.Post, "/v1/requests", "{\"items\":[], \"pad\":\"" + new string('x', 2 * 1024 * 1024) + "\"}", HttpStatusCode.RequestEntityTooLarge, "payload-too-large");
        using var badKey = new HttpRequestMessage(HttpMethod.Post, "/v1/requests") { Content = Json.Content(world.Body("storage.ssd", 5)) };
        badKey.Headers.TryAddWithoutValidation("Idempotency-Key", new string('k', 129));
        Assert.Equal(HttpStatusCode.BadRequest, (await tenant.SendAsync(badKey)).StatusCode);
        Assert.Equal(0, (await world.PoolAsync("dc", "storage.ssd")).Allocated);
        var list = await ExpectAsync(tenant, HttpMethod.Get, "/v1/requests", null, HttpStatusCode.OK);
        Assert.Equal(0, list.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Create_WithoutOrWithUnknownTokenOrAsAdmin_401Or403()
    {
        var world = await CreateWorldAsync();
        var body = world.Body("storage.ssd", 5);

        await ExpectAsync(broker.Client(), HttpMethod.Post, "/v1/requests", body, HttpStatusCode.Unauthorized, "unauthenticated");
        await ExpectAsync(broker.Client("no-such-token"), HttpMethod.Post, "/v1/requests", body, HttpStatusCode.Unauthorized, "unauthenticated");
        await ExpectAsync(world.Admin("home"), HttpMethod.Post, "/v1/requests", body, HttpStatusCode.Forbidden, "forbidden");
        await ExpectAsync(broker.Client(broker.FederationAdminToken), HttpMethod.Post, "/v1/requests", body, HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal(0, (await world.PoolAsync("dc", "storage.ssd")).Allocated);
    }

    [Fact]
    public async Task Create_PreferRespondAsync_202WithLocationThenDecided()
    {
        var world = await CreateWorldAsync();
        using var message = new HttpRequestMessage(HttpMethod.Post, "/v1/requests") { Content = Json.Content(world.Body("storage.ssd", 5)) };
        message.Headers.Add("Prefer", "respond-async");

        using var response = await world.Tenant("a").SendAsync(message);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var location = response.Headers.Location!.ToString();
        Assert.Equal("negotiating", (await Json.ReadAsync(response)).State());
        var decided = await Eventually.ReturnsAsync(
            () => ExpectAsync(world.Tenant("a"), HttpMethod.Get, location, null, HttpStatusCode.OK),
            r => r.State() != "negotiating",
            "the accepted request is decided");
        Assert.Equal("allocated", decided.State());
    }

    [Fact]
    public async Task GetReleaseRenew_AnotherTenantsRequest_404AsIfItDidNotExist()
    {
        var world = await CreateWorldAsync();
        var (status, request) = await world.RequestAsync("a", world.Body("storage.ssd", 5));
        Assert.Equal(HttpStatusCode.Created, status);
        var path = $"/v1/requests/{request.GetProperty("id").GetString()}";
        var other = world.Tenant("b");

        await ExpectAsync(other, HttpMethod.Get, path, null, HttpStatusCode.NotFound, "not-found");
        await ExpectAsync(other, HttpMethod.Delete, path, null, HttpStatusCode.NotFound, "not-found");
        await ExpectAsync(other, HttpMethod.Post, path + "/renew", new { lease = "P1D" }, HttpStatusCode.NotFound, "not-found");
        await ExpectAsync(other, HttpMethod.Get, "/v1/requests/r-000000000000000000000000", null, HttpStatusCode.NotFound, "not-found");
        await ExpectAsync(other, HttpMethod.Get, "/v1/requests/whatever", null, HttpStatusCode.NotFound, "not-found");
        await ExpectAsync(world.Admin("home"), HttpMethod.Get, path, null, HttpStatusCode.Forbidden, "forbidden");
        await ExpectAsync(broker.Client(), HttpMethod.Get, path, null, HttpStatusCode.Unauthorized, "unauthenticated");
        var list = await ExpectAsync(other, HttpMethod.Get, "/v1/requests", null, HttpStatusCode.OK);
        Assert.Equal(0, list.GetProperty("items").GetArrayLength());
        Assert.Equal("allocated", (await world.GetAsync("a", request.GetProperty("id").GetString()!)).Body.State());
    }

    [Fact]
    public async Task Release_Twice_200ReleasedBothTimesAndCapacityBack()
    {
        var world = await CreateWorldAsync();
        var (_, request) = await world.RequestAsync("a", world.Body("storage.ssd", 5));
        var path = $"/v1/requests/{request.GetProperty("id").GetString()}";

        var first = await ExpectAsync(world.Tenant("a"), HttpMethod.Delete, path, null, HttpStatusCode.OK);
        var second = await ExpectAsync(world.Tenant("a"), HttpMethod.Delete, path, null, HttpStatusCode.OK);

        Assert.Equal(("released", "released"), (first.State(), second.State()));
        Assert.Equal(first.GetProperty("endedAt").GetDateTimeOffset(), second.GetProperty("endedAt").GetDateTimeOffset());
        Assert.Equal(0, (await world.PoolAsync("dc", "storage.ssd")).Allocated);
        await ExpectAsync(world.Tenant("a"), HttpMethod.Post, path + "/renew", new { lease = "P1D" }, HttpStatusCode.Conflict, "not-renewable");
        await ExpectAsync(world.Tenant("a"), HttpMethod.Post, path + "/renew", new { lease = "soon" }, HttpStatusCode.BadRequest, "invalid-request");
    }

    [Fact]
    public async Task List_OwnRequestsNewestFirstFilteredAndPaged()
    {
        var world = await CreateWorldAsync();
        var ids = new List<string>();
        foreach (var amount in new[] { 1, 2, 3 })
        {
            var (_, created) = await world.RequestAsync("a", world.Body("storage.ssd", amount));
            ids.Add(created.GetProperty("id").GetString()!);
            broker.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        var (_, rejected) = await world.RequestAsync("a", world.Body("storage.ssd", 1_000_000));
        await ExpectAsync(world.Tenant("a"), HttpMethod.Delete, $"/v1/requests/{ids[0]}", null, HttpStatusCode.OK);
        var tenant = world.Tenant("a");

        var page1 = await ExpectAsync(tenant, HttpMethod.Get, "/v1/requests?state=allocated&limit=1", null, HttpStatusCode.OK);
        var next = page1.GetProperty("next").GetString()!;
        var page2 = await ExpectAsync(tenant, HttpMethod.Get, $"/v1/requests?state=allocated&limit=1&after={Uri.EscapeDataString(next)}", null, HttpStatusCode.OK);
        var all = await ExpectAsync(tenant, HttpMethod.Get, "/v1/requests", null, HttpStatusCode.OK);

        Assert.Equal([ids[2]], page1.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("id").GetString()));
        Assert.Equal([ids[1]], page2.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("id").GetString()));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, page2.GetProperty("next").ValueKind);
        Assert.Equal(
            [rejected.GetProperty("id").GetString(), ids[2], ids[1], ids[0]],
            all.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("id").GetString()));
        await ExpectAsync(tenant, HttpMethod.Get, "/v1/requests?state=done", null, HttpStatusCode.BadRequest, "invalid-request");
        await ExpectAsync(tenant, HttpMethod.Get, "/v1/requests?limit=0", null, HttpStatusCode.BadRequest, "invalid-request");
        await ExpectAsync(tenant, HttpMethod.Get, "/v1/requests?after=garbage", null, HttpStatusCode.BadRequest, "invalid-request");
        await ExpectAsync(world.Admin("home"), HttpMethod.Get, "/v1/requests", null, HttpStatusCode.Forbidden, "forbidden");
    }

    private Task<World> CreateWorldAsync() => broker.CreateWorldAsync(w =>
    {
        var home = w.Member("home", "DE-HH").DataCenter("dc", "DE-HH", ProtectionLevel.Normal, Pool("storage.ssd", 10_000, 0.0001m));
        w.Tenant("a", home);
        w.Tenant("b", home);
    });
}
