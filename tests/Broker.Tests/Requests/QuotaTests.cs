using static Broker.Tests.Api.ApiExpectations;

namespace Broker.Tests.Requests;

/// <summary>Quotas per tenant and resource class from the federation file: held at once, given back on every end.</summary>
[Collection(BrokerCollection.Name)]
public sealed class QuotaTests(BrokerFixture broker)
{
    [Fact]
    public async Task BeyondTheQuota_RejectedQuotaExceeded_NothingHeld_RoomAgainAfterARelease()
    {
        var (world, tenant) = await CreateAsync(quota: 100);

        var first = await RequestAsync(world, tenant, 60);
        var second = await RequestAsync(world, tenant, 50);
        var otherClass = await RequestAsync(world, tenant, 500, "storage.hdd");

        Assert.Equal("allocated", first.State());
        Assert.Equal(("rejected", "quota-exceeded"), (second.State(), second.ReasonCode()));
        Assert.Contains("at most 100", second.GetProperty("reason").GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("allocated", otherClass.State());
        Assert.Equal(60, (await world.PoolAsync("dc", "storage.ssd")).Allocated);

        await ExpectAsync(tenant, HttpMethod.Delete, $"/v1/requests/{first.GetProperty("id").GetString()}", null, HttpStatusCode.OK);
        var third = await RequestAsync(world, tenant, 100);

        Assert.Equal("allocated", third.State());
    }

    [Fact]
    public async Task RejectedForCapacity_GivesItsReservationBack()
    {
        var (world, tenant) = await CreateAsync(quota: 100_000);

        var tooBig = await RequestAsync(world, tenant, 20_000);
        var fits = await RequestAsync(world, tenant, 90_000);

        Assert.Equal(("rejected", "no-capacity"), (tooBig.State(), tooBig.ReasonCode()));
        // Had the first kept its 20,000 reserved, 90,000 more would be over the quota: judged by capacity instead.
        Assert.Equal(("rejected", "no-capacity"), (fits.State(), fits.ReasonCode()));
        var ok = await RequestAsync(world, tenant, 9_000);
        Assert.Equal("allocated", ok.State());
        var more = await RequestAsync(world, tenant, 1_000);
        Assert.Equal("allocated", more.State());
    }

    [Fact]
    public async Task NegativeQuota_400_NothingChanged()
    {
        var world = await broker.CreateWorldAsync(w => w.Member("home", "DE-HH"));
        using var admin = broker.Client(broker.FederationAdminToken);

        var problem = await ExpectAsync(admin, HttpMethod.Put, "/v1/federation", new
        {
            tenants = new[] { new { id = "q-" + world.Id("x"), homeProvider = world.Id("home"), quotas = new Dictionary<string, long> { ["storage.ssd"] = -1 } } },
        }, HttpStatusCode.BadRequest, "invalid-request");

        // The upsert is validated as merged, so the path counts the federation's tenants, not the body's.
        Assert.Contains(problem.GetProperty("errors").EnumerateObject(), e => e.Name.EndsWith("].quotas.storage.ssd", StringComparison.Ordinal));
    }

    private async Task<(World World, HttpClient Tenant)> CreateAsync(long quota)
    {
        var world = await broker.CreateWorldAsync(w => w.Member("home", "DE-HH").DataCenter(
            "dc", "DE-HH", ProtectionLevel.Normal, Pool("storage.ssd", 10_000, 0.0001m), Pool("storage.hdd", 10_000, 0.0001m)));
        var id = "quota-" + world.Id("t");
        var token = "token-" + id;
        using var admin = broker.Client(broker.FederationAdminToken);
        await ExpectAsync(admin, HttpMethod.Put, "/v1/federation", new
        {
            tenants = new[] { new { id, homeProvider = world.Id("home"), token, quotas = new Dictionary<string, long> { [world.Resource("storage.ssd")] = quota } } },
        }, HttpStatusCode.OK);
        return (world, broker.Client(token));
    }

    private static async Task<System.Text.Json.JsonElement> RequestAsync(World world, HttpClient tenant, long amount, string resourceClass = "storage.ssd") =>
        await ExpectAsync(tenant, HttpMethod.Post, "/v1/requests", world.Body(resourceClass, amount), HttpStatusCode.Created);
}
