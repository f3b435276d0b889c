
namespace Broker.Tests.Negotiation;

/// <summary>
/// Hard constraints hold on every path. In each world only one small data center ("ok") meets the
/// constraint; all the others — home, another member, a partner under contract, data centers abroad —
/// have plenty of capacity. A request too large for "ok" must be rejected, not served by a fallback.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class HardConstraintTests(BrokerFixture broker)
{
    private const string Resource = "storage.ssd";

    public static TheoryData<string, Func<World, long, object>> OnlyOkQualifies => new()
    {
        { "protection level", (_, _) => new { protectionLevel = "very-high" } },
        { "residency: a German state", (_, _) => new { residency = "DE-NW" } },
        { "residency: a country", (_, _) => new { residency = "DE", protectionLevel = "very-high" } },
        { "allow list", (w, _) => new { providers = new { allow = new[] { w.Id("ok") } } } },
        { "deny list", (w, _) => new { providers = new { deny = new[] { w.Id("home"), w.Id("member"), w.Id("partner"), w.Id("swiss"), w.Id("austria") } } } },
        // "ok" costs 0.00005 EUR per unit-hour, everything else 0.0001.
        { "max hourly cost", (_, amount) => new { maxHourlyCost = amount * 0.00007m } },
    };

    [Theory]
    [MemberData(nameof(OnlyOkQualifies))]
    public async Task Submit_OnlyOneSmallDataCenterQualifies_NeverServedElsewhere(string constraint, Func<World, long, object> constraints)
    {
        var world = await CreateWorldAsync();

        var (_, tooLarge) = await world.RequestAsync("t", world.Body(Resource, 50, constraints(world, 50)));
        var (_, fits) = await world.RequestAsync("t", world.Body(Resource, 5, constraints(world, 5)));

        Assert.True(tooLarge.State() == "rejected", $"{constraint}: a request too large for 'ok' was {tooLarge.State()}: {tooLarge}");
        Assert.Equal("no-capacity", tooLarge.ReasonCode());
        Assert.Equal("allocated", fits.State());
        Assert.Equal([world.Id("ok-dc")], fits.DataCenters());
        foreach (var other in new[] { "home-dc", "member-dc", "partner-dc", "swiss-dc", "austria-dc" })
        {
            Assert.Equal(0, (await world.PoolAsync(other, Resource)).Allocated);
        }
    }

    [Fact]
    public async Task Submit_ResidencyEu_TakesAustriaNeverSwitzerland()
    {
        var world = await CreateWorldAsync();

        var (_, request) = await world.RequestAsync("t", world.Body(Resource, 50, new { residency = "EU", protectionLevel = "very-high" }));

        Assert.Equal("allocated", request.State());
        Assert.Equal([world.Id("austria-dc")], request.DataCenters());
        Assert.Equal(0, (await world.PoolAsync("swiss-dc", Resource)).Allocated);
    }

    [Fact]
    public async Task Submit_MembersOnly_ExcludesThePartnerFallback()
    {
        var world = await CreateWorldAsync();

        var (_, membersOnly) = await world.RequestAsync("t", world.Body(Resource, 50, new { residency = "DE-HE", membersOnly = true }));
        var (_, partnerAllowed) = await world.RequestAsync("t", world.Body(Resource, 50, new { residency = "DE-HE" }));

        Assert.Equal("unsatisfiable", membersOnly.ReasonCode());
        Assert.Equal("partner", partnerAllowed.Tier());
        Assert.Equal(50, (await world.PoolAsync("partner-dc", Resource)).Allocated);
    }

    [Fact]
    public async Task Submit_EveryQualifyingDataCenterTooDear_OverBudget()
    {
        var world = await CreateWorldAsync();

        var (_, request) = await world.RequestAsync("t", world.Body(Resource, 50, new { maxHourlyCost = 0.001m }));

        Assert.Equal("rejected", request.State());
        Assert.Equal("over-budget", request.ReasonCode());
    }

    private Task<World> CreateWorldAsync() => broker.CreateWorldAsync(w =>
    {
        var big = Pool(Resource, 100_000, 0.0001m);
        var partner = w.Partner("partner").DataCenter("partner-dc", "DE-HE", ProtectionLevel.High, big);
        var home = w.Member("home", "DE-HH").DataCenter("home-dc", "DE-HH", ProtectionLevel.Normal, big);
        home.Contract(partner, Resource, maxAmount: 1_000_000, price: 0.0001m);
        w.Member("member", "DE-BY").DataCenter("member-dc", "DE-BY", ProtectionLevel.High, big);
        w.Member("swiss", "CH").DataCenter("swiss-dc", "CH", ProtectionLevel.VeryHigh, big);
        w.Member("austria", "AT").DataCenter("austria-dc", "AT-9", ProtectionLevel.VeryHigh, big);
        w.Member("ok", "DE-NW").DataCenter("ok-dc", "DE-NW", ProtectionLevel.VeryHigh, Pool(Resource, 10, 0.00005m));
        w.Tenant("t", home);
    });
}
