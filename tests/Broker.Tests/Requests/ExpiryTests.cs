using Broker.DataCenters;
using Broker.Requests;

namespace Broker.Tests.Requests;

/// <summary>Holds and leases end under the broker's clock (moved by the test, never slept on) and the capacity returns.</summary>
[Collection(BrokerCollection.Name)]
public sealed class ExpiryTests(BrokerFixture broker)
{
    [Fact]
    public async Task Hold_NotConfirmedWithinItsTtl_CapacityReturnsAndConfirmFails()
    {
        var world = await CreateWorldAsync();
        var dc = broker.Grains.GetGrain<IDataCenterGrain>(world.Id("dc"));
        var requestId = Guid.NewGuid().ToString("N");

        var offer = await dc.OfferAsync(new HoldRequest { RequestId = requestId, Items = [new RequestItem(world.Resource("storage.ssd"), 600)] });
        Assert.NotNull(offer.Offer);
        Assert.Equal(600, (await world.PoolAsync("dc", "storage.ssd")).Held);

        broker.Clock.Advance(offer.Offer.HoldExpiresAt - broker.Clock.GetUtcNow() + TimeSpan.FromMilliseconds(1));

        var pool = await world.PoolAsync("dc", "storage.ssd");
        Assert.Equal((0L, 0L), (pool.Held, pool.Allocated));
        Assert.False(await dc.ConfirmAsync(offer.Offer.HoldId, requestId, Guid.Empty, broker.Clock.GetUtcNow().AddDays(1)));
        Assert.Equal(0, (await world.PoolAsync("dc", "storage.ssd")).Allocated);
    }

    [Fact]
    public async Task Lease_Ends_RequestExpiresCapacityReturnsAndExactlyTheLeaseIsBilled()
    {
        var world = await CreateWorldAsync();
        var (_, request) = await world.RequestAsync("t", world.Body("storage.ssd", 1_000, lease: "PT2H"));
        var id = request.GetProperty("id").GetString()!;
        Assert.Equal(1_000, (await world.PoolAsync("dc", "storage.ssd")).Allocated);

        broker.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal("allocated", (await world.GetAsync("t", id)).Body.State());

        broker.Clock.Advance(TimeSpan.FromHours(1));
        var (_, expired) = await world.GetAsync("t", id);

        Assert.Equal("expired", expired.State());
        Assert.Equal(request.GetProperty("leaseExpiresAt").GetDateTimeOffset(), expired.GetProperty("endedAt").GetDateTimeOffset());
        Assert.Equal(0, (await world.PoolAsync("dc", "storage.ssd")).Allocated);
        var bill = await BillAsync(world, request);
        Assert.Equal(1_000 * 0.0001m * 2, bill.GetProperty("total").GetDecimal());
    }

    [Fact]
    public async Task Lease_NobodyAsksTheRequest_DataCenterStillReturnsTheCapacity()
    {
        var world = await CreateWorldAsync();
        await world.RequestAsync("t", world.Body("storage.ssd", 700, lease: "PT30M"));

        broker.Clock.Advance(TimeSpan.FromMinutes(30));

        Assert.Equal(0, (await world.PoolAsync("dc", "storage.ssd")).Allocated);
    }

    [Fact]
    public async Task Renew_BeforeTheEnd_ExtendsFromNow()
    {
        var world = await CreateWorldAsync();
        var (_, request) = await world.RequestAsync("t", world.Body("storage.ssd", 100, lease: "PT1H"));
        var id = request.GetProperty("id").GetString()!;
        broker.Clock.Advance(TimeSpan.FromMinutes(45));

        using var renew = await world.Tenant("t").PostAsync($"/v1/requests/{id}/renew", Json.Content(new { lease = "PT2H" }));
        var renewed = await Json.ReadAsync(renew);

        Assert.Equal(HttpStatusCode.OK, renew.StatusCode);
        Assert.Equal(broker.Clock.GetUtcNow() + TimeSpan.FromHours(2), renewed.GetProperty("leaseExpiresAt").GetDateTimeOffset());
        broker.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal("allocated", (await world.GetAsync("t", id)).Body.State());
        Assert.Equal(100, (await world.PoolAsync("dc", "storage.ssd")).Allocated);
    }

    [Fact]
    public async Task Renew_AfterTheEnd_409NotRenewable()
    {
        var world = await CreateWorldAsync();
        var (_, request) = await world.RequestAsync("t", world.Body("storage.ssd", 100, lease: "PT1H"));
        broker.Clock.Advance(TimeSpan.FromHours(2));

        using var renew = await world.Tenant("t").PostAsync($"/v1/requests/{request.GetProperty("id").GetString()}/renew", Json.Content(new { lease = "PT2H" }));

        Assert.Equal(HttpStatusCode.Conflict, renew.StatusCode);
        Assert.Equal("not-renewable", (await Json.ReadAsync(renew)).Code());
    }

    private static async Task<System.Text.Json.JsonElement> BillAsync(World world, System.Text.Json.JsonElement request)
    {
        var period = request.GetProperty("decidedAt").GetDateTimeOffset().ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        using var response = await world.Tenant("t").GetAsync($"/v1/billing/tenants/{world.Id("t")}?period={period}");
        return await Json.ReadAsync(response);
    }

    private Task<World> CreateWorldAsync() => broker.CreateWorldAsync(w =>
    {
        var home = w.Member("home", "DE-HH").DataCenter("dc", "DE-HH", ProtectionLevel.Normal, Pool("storage.ssd", 1_000, 0.0001m));
        w.Tenant("t", home);
    });
}
