using static Broker.Tests.Api.ApiExpectations;

namespace Broker.Tests.Api;

/// <summary>Catalogue, capacity, a provider's data centers, pool changes and the admin upsert, with who may do what.</summary>
[Collection(BrokerCollection.Name)]
public sealed class FederationApiTests(BrokerFixture broker)
{
    [Fact]
    public async Task Catalog_Tenant_SeesMembersAndOnlyPartnersUnderItsContractAtTheContractPrice()
    {
        var world = await CreateWorldAsync();

        var catalog = await ExpectAsync(world.Tenant("t"), HttpMethod.Get, "/v1/catalog", null, HttpStatusCode.OK);
        var unauthenticated = ExpectAsync(broker.Client(), HttpMethod.Get, "/v1/catalog", null, HttpStatusCode.Unauthorized, "unauthenticated");

        var offers = catalog.GetProperty("resources").EnumerateArray()
            .Where(r => r.GetProperty("resource").GetString()!.EndsWith(world.Resource(""), StringComparison.Ordinal))
            .ToDictionary(r => r.GetProperty("resource").GetString()!, r => r.GetProperty("offers").EnumerateArray().ToList());
        var ssd = offers[world.Resource("storage.ssd")];
        Assert.Equal([world.Id("partner-dc"), world.Id("home-dc")], ssd.Select(o => o.GetProperty("dataCenter").GetString()));
        Assert.Equal(0.00008m, ssd[0].GetProperty("pricePerUnitHour").GetDecimal());
        Assert.DoesNotContain(offers[world.Resource("storage.hdd")], o => o.GetProperty("dataCenter").GetString() == world.Id("partner-dc"));
        await unauthenticated;
    }

    [Fact]
    public async Task Capacity_AfterAnAllocation_ShowsItPerProviderDataCenterAndPool()
    {
        var world = await CreateWorldAsync();
        await world.RequestAsync("t", world.Body("storage.ssd", 250));

        var pool = await Eventually.ReturnsAsync(
            async () =>
            {
                var capacity = await ExpectAsync(world.Tenant("t"), HttpMethod.Get, "/v1/federation/capacity", null, HttpStatusCode.OK);
                return capacity.GetProperty("providers").EnumerateArray()
                    .Single(p => p.GetProperty("provider").GetString() == world.Id("home"))
                    .GetProperty("dataCenters")[0].GetProperty("pools").EnumerateArray()
                    .Single(p => p.GetProperty("resource").GetString() == world.Resource("storage.ssd"));
            },
            p => p.GetProperty("allocated").GetInt64() == 250,
            "the directory shows the allocation");

        Assert.Equal((1_000L, 250L, 0L, 750L, 0.25), (pool.GetProperty("total").GetInt64(), pool.GetProperty("allocated").GetInt64(), pool.GetProperty("held").GetInt64(), pool.GetProperty("free").GetInt64(), pool.GetProperty("utilisation").GetDouble()));
    }

    [Fact]
    public async Task ProviderDataCenters_OwnAdminAndFederationAdmin200_Others403_Unknown404()
    {
        var world = await CreateWorldAsync();
        var path = $"/v1/providers/{world.Id("home")}/datacenters";

        var own = await ExpectAsync(world.Admin("home"), HttpMethod.Get, path, null, HttpStatusCode.OK);
        await ExpectAsync(broker.Client(broker.FederationAdminToken), HttpMethod.Get, path, null, HttpStatusCode.OK);
        await ExpectAsync(world.Admin("partner"), HttpMethod.Get, path, null, HttpStatusCode.Forbidden, "forbidden");
        await ExpectAsync(world.Tenant("t"), HttpMethod.Get, path, null, HttpStatusCode.Forbidden, "forbidden");
        await ExpectAsync(world.Admin("home"), HttpMethod.Get, "/v1/providers/nobody/datacenters", null, HttpStatusCode.NotFound, "not-found");

        Assert.Equal([world.Id("home-dc")], own.EnumerateArray().Select(dc => dc.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task SetPool_OwnerChangesAndAdds_OthersForbidden_ShrinkBelowUse409()
    {
        var world = await CreateWorldAsync();
        await world.RequestAsync("t", world.Body("storage.ssd", 600));
        var ssdPath = $"/v1/datacenters/{world.Id("home-dc")}/pools/{world.Resource("storage.ssd")}";
        var admin = world.Admin("home");

        var grown = await ExpectAsync(admin, HttpMethod.Put, ssdPath, new { total = 2_000, headroom = 100, pricePerUnitHour = 0.0002m }, HttpStatusCode.OK);
        var added = await ExpectAsync(admin, HttpMethod.Put, $"/v1/datacenters/{world.Id("home-dc")}/pools/{world.Resource("compute.vcpu")}", new { total = 64 }, HttpStatusCode.Created);
        await ExpectAsync(admin, HttpMethod.Put, ssdPath, new { total = 599 }, HttpStatusCode.Conflict, "capacity-in-use");
        await ExpectAsync(admin, HttpMethod.Put, ssdPath, new { total = -1 }, HttpStatusCode.BadRequest, "invalid-request");
        await ExpectAsync(admin, HttpMethod.Put, ssdPath, new { headroom = 5 }, HttpStatusCode.BadRequest, "invalid-request");
        await ExpectAsync(admin, HttpMethod.Put, ssdPath, new { total = 10, headroom = 11 }, HttpStatusCode.BadRequest, "invalid-request");
        await ExpectAsync(admin, HttpMethod.Put, ssdPath, new { total = 10, extra = 1 }, HttpStatusCode.BadRequest, "invalid-request");
        await ExpectAsync(world.Admin("partner"), HttpMethod.Put, ssdPath, new { total = 1 }, HttpStatusCode.Forbidden, "forbidden");
        await ExpectAsync(broker.Client(broker.FederationAdminToken), HttpMethod.Put, ssdPath, new { total = 1 }, HttpStatusCode.Forbidden, "forbidden");
        await ExpectAsync(world.Tenant("t"), HttpMethod.Put, ssdPath, new { total = 1 }, HttpStatusCode.Forbidden, "forbidden");
        await ExpectAsync(admin, HttpMethod.Put, $"/v1/datacenters/nowhere/pools/{world.Resource("storage.ssd")}", new { total = 1 }, HttpStatusCode.NotFound, "not-found");

        Assert.Equal((2_000L, 100L, 600L, 0.0002m), (grown.GetProperty("total").GetInt64(), grown.GetProperty("headroom").GetInt64(), grown.GetProperty("allocated").GetInt64(), grown.GetProperty("pricePerUnitHour").GetDecimal()));
        Assert.Equal(64, added.GetProperty("total").GetInt64());
        var pool = await world.PoolAsync("home-dc", "storage.ssd");
        Assert.Equal((2_000L, 600L), (pool.Total, pool.Allocated));
        var (_, bigger) = await world.RequestAsync("t", world.Body("storage.ssd", 1_300));
        Assert.Equal("home", bigger.Tier());
    }

    [Fact]
    public async Task UpsertFederation_OnlyTheFederationAdmin_InvalidDocument400ChangesNothing()
    {
        var world = await CreateWorldAsync();
        var invalid = new
        {
            providers = new[] { new { id = "bad-" + world.Id("x"), kind = "member", dataCenters = new[] { new { id = "bad-dc-" + world.Id("x"), location = "Hamburg" } } } },
        };

        await ExpectAsync(broker.Client(broker.FederationAdminToken), HttpMethod.Put, "/v1/federation", invalid, HttpStatusCode.BadRequest, "invalid-request");
        await ExpectAsync(world.Tenant("t"), HttpMethod.Put, "/v1/federation", new { }, HttpStatusCode.Forbidden, "forbidden");
        await ExpectAsync(world.Admin("home"), HttpMethod.Put, "/v1/federation", new { }, HttpStatusCode.Forbidden, "forbidden");

        await ExpectAsync(broker.Client(broker.FederationAdminToken), HttpMethod.Get, $"/v1/providers/bad-{world.Id("x")}/datacenters", null, HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task UpsertFederation_ErrorsNamePositionsInTheBodySent_OrTheIdOfAnExistingEntryItBreaks()
    {
        var world = await CreateWorldAsync();
        var admin = broker.Client(broker.FederationAdminToken);
        var fragment = new
        {
            providers = new[]
            {
                new
                {
                    id = world.Id("home"), kind = "member", regions = new[] { "DE-HH" },
                    dataCenters = new[] { new { id = world.Id("new-dc"), location = "DE-HH" }, new { id = world.Id("bad-dc"), location = "Hamburg" } },
                },
            },
            tenants = new[] { new { id = world.Id("new-t"), homeProvider = world.Id("home") }, new { id = world.Id("bad-t"), homeProvider = "nobody" } },
        };
        var partnerTurnedMember = new { providers = new[] { new { id = world.Id("partner"), kind = "member", regions = new[] { "DE-HE" } } } };

        var inBody = await ExpectAsync(admin, HttpMethod.Put, "/v1/federation", fragment, HttpStatusCode.BadRequest, "invalid-request");
        var existing = await ExpectAsync(admin, HttpMethod.Put, "/v1/federation", partnerTurnedMember, HttpStatusCode.BadRequest, "invalid-request");

        Assert.Equal(
            ["providers[0].dataCenters[1].location", "tenants[1].homeProvider"],
            inBody.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.Equal(
            [$"providers[id={world.Id("home")}].contracts[id={world.Id("partner")}/{world.Resource("storage.ssd")}].partner"],
            existing.GetProperty("errors").EnumerateObject().Select(e => e.Name));
    }

    /// <summary>Every list the upsert merges is keyed (ids, a contract's partner and class, an admin's token hash): a key left out is a 400 naming it, never a 500.</summary>
    [Theory]
    [InlineData("""{"providers":[{"id":null}]}""", "$.providers[0].id")]
    [InlineData("""{"providers":[null]}""", "providers[0]")]
    [InlineData("""{"tenants":[null]}""", "tenants[0]")]
    [InlineData("""{"tenants":[{"id":null,"homeProvider":"x"}]}""", "$.tenants[0].id")]
    [InlineData("""{"providers":[{"id":"HOME","dataCenters":[null]}]}""", "providers[0].dataCenters[0]")]
    [InlineData("""{"providers":[{"id":"HOME","dataCenters":[{"id":null,"location":"DE-HH"}]}]}""", "$.providers[0].dataCenters[0].id")]
    [InlineData("""{"providers":[{"id":"HOME","dataCenters":[{"id":"DC","location":"DE-HH","pools":[null]}]}]}""", "providers[0].dataCenters[0].pools[0]")]
    [InlineData("""{"providers":[{"id":"HOME","contracts":[{"partner":null,"resource":"storage.ssd"}]}]}""", "$.providers[0].contracts[0].partner")]
    [InlineData("""{"providers":[{"id":"HOME","admins":[{}]}]}""", "providers[0].admins[0]")]
    [InlineData("""{"providers":[{"id":"HOME","admins":null}]}""", "$.providers[0].admins")]
    [InlineData("""{"federationAdmins":[{"token":null,"tokenSha256":null}]}""", "federationAdmins[0]")]
    public async Task UpsertFederation_AKeyLeftOutOrNull_400NamesIt(string body, string path)
    {
        var world = await CreateWorldAsync();
        var sent = body.Replace("HOME", world.Id("home"), StringComparison.Ordinal).Replace("DC", world.Id("home-dc"), StringComparison.Ordinal);

        var problem = await ExpectAsync(broker.Client(broker.FederationAdminToken), HttpMethod.Put, "/v1/federation", sent, HttpStatusCode.BadRequest, "invalid-request");

        Assert.Equal([path], problem.GetProperty("errors").EnumerateObject().Select(e => e.Name));
    }

    private Task<World> CreateWorldAsync() => broker.CreateWorldAsync(w =>
    {
        var partner = w.Partner("partner").DataCenter("partner-dc", "DE-HE", ProtectionLevel.Normal, Pool("storage.ssd", 5_000, 0.0003m), Pool("storage.hdd", 5_000, 0.00002m));
        var home = w.Member("home", "DE-HH").DataCenter("home-dc", "DE-HH", ProtectionLevel.Normal, Pool("storage.ssd", 1_000, 0.0001m), Pool("storage.hdd", 1_000, 0.00004m));
        home.Contract(partner, "storage.ssd", maxAmount: 1_000, price: 0.00008m);
        w.Tenant("t", home);
    });
}
