namespace Broker.Tests.Negotiation;

/// <summary>
/// Hard constraints hold on the split path too (a splittable request gathered from several data centers with
/// partial storage holds). In each world only two small data centers ("ok-a", "ok-b") meet the constraint and only
/// together can they take the request; all the others have plenty. A split uses nothing outside the constraint.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class SplitHardConstraintTests(BrokerFixture broker)
{
    private const string Storage = "storage.ssd";
    private const string Compute = "compute.vcpu";
    private const long Vcpus = 10;
    private const decimal VcpuPrice = 0.001m;
    private const decimal OkStoragePrice = 0.00005m;

    private static readonly string[] Others = ["home-dc", "member-dc", "partner-dc", "swiss-dc", "austria-dc"];

    /// <summary>The constraints of <see cref="HardConstraintTests"/> but the hourly-cost bound, which limits the whole request, not each data center.</summary>
    public static TheoryData<string, Func<World, long, object>> OnlyOkQualifies
    {
        get
        {
            var data = new TheoryData<string, Func<World, long, object>>();
            foreach (var row in HardConstraintTests.OnlyOkQualifies.Where(row => (string)row[0] != "max hourly cost"))
            {
                data.Add((string)row[0], (Func<World, long, object>)row[1]);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(OnlyOkQualifies))]
    public async Task SplitSubmit_OnlyTwoSmallDataCentersQualify_SplitAcrossThemAloneNeverElsewhere(string constraint, Func<World, long, object> constraints)
    {
        var world = await CreateWorldAsync();

        // ok-a and ok-b hold 30 units of storage each: 70 cannot be served by them even split, 50 only split.
        var (_, tooLarge) = await world.RequestAsync("t", SplitBody(world, 70, constraints(world, 70)));
        Assert.True(tooLarge.State() == "rejected", $"{constraint}: a split too large for the qualifying data centers was {tooLarge.State()}: {tooLarge}");
        await AssertNothingElsewhereAsync(world, constraint);
        Assert.Equal((0L, 0L), ((await world.PoolAsync("ok-a", Storage)).Allocated, (await world.PoolAsync("ok-b", Storage)).Allocated));

        // The rejected split's partial holds are cancelled one-way: wait until they are gone, or the next split would
        // find ok-a and ok-b held.
        await Eventually.ReturnsAsync(
            async () => (await world.PoolAsync("ok-a", Storage)).Held + (await world.PoolAsync("ok-b", Storage)).Held,
            held => held == 0,
            "the rejected split's holds are cancelled");

        var (_, split) = await world.RequestAsync("t", SplitBody(world, 50, constraints(world, 50)));

        Assert.True(split.State() == "allocated", $"{constraint}: {split}");
        Assert.Equal([world.Id("ok-a"), world.Id("ok-b")], split.DataCenters().Distinct().Order());
        var parts = split.GetProperty("allocation").GetProperty("parts").EnumerateArray().ToList();
        Assert.Equal(50, parts.Where(p => p.GetProperty("resource").GetString() == world.Resource(Storage)).Sum(p => p.GetProperty("amount").GetInt64()));
        Assert.Equal(world.Id("ok-a"), Assert.Single(parts, p => p.GetProperty("resource").GetString() == world.Resource(Compute)).GetProperty("dataCenter").GetString());
        Assert.Equal(50, (await world.PoolAsync("ok-a", Storage)).Allocated + (await world.PoolAsync("ok-b", Storage)).Allocated);
        await AssertNothingElsewhereAsync(world, constraint);
    }

    [Fact]
    public async Task SplitSubmit_AboveTheMaxHourlyCostEverywhere_RejectedOverBudgetNothingKept()
    {
        var world = await CreateWorldAsync();
        // Below the cheapest split there is (all storage at "ok" prices), so no split fits the budget.
        var budget = (50 * OkStoragePrice) + (Vcpus * VcpuPrice) - 0.0001m;

        var (_, request) = await world.RequestAsync("t", SplitBody(world, 50, new { maxHourlyCost = budget }));

        Assert.Equal(("rejected", "over-budget"), (request.State(), request.ReasonCode()));
        await AssertNothingElsewhereAsync(world, "max hourly cost");
        await Eventually.ReturnsAsync(
            async () => (await world.PoolAsync("ok-a", Storage)).Allocated + (await world.PoolAsync("ok-a", Storage)).Held + (await world.PoolAsync("ok-b", Storage)).Allocated + (await world.PoolAsync("ok-b", Storage)).Held,
            units => units == 0,
            "nothing kept at ok-a or ok-b");
    }

    [Fact]
    public async Task SplitSubmit_MembersOnly_NeverTakesThePartnersPart()
    {
        var world = await broker.CreateWorldAsync(w =>
        {
            var partner = w.Partner("partner", "DE-HH").DataCenter("partner-dc", "DE-HH", ProtectionLevel.Normal, Pool(Storage, 100_000, 0.00001m));
            var home = w.Member("home", "DE-HH").DataCenter("home-dc", "DE-HH", ProtectionLevel.Normal, Pool(Storage, 20, 0.0001m));
            home.Contract(partner, Storage, maxAmount: 1_000_000, price: 0.00001m);
            w.Member("member", "DE-HH").DataCenter("member-dc", "DE-HH", ProtectionLevel.Normal, Pool(Storage, 20, 0.0001m));
            w.Tenant("t", home);
        });

        var (_, tooLarge) = await world.RequestAsync("t", world.Body(Storage, 50, new { membersOnly = true }, splittable: true));
        var (_, split) = await world.RequestAsync("t", world.Body(Storage, 35, new { membersOnly = true }, splittable: true));

        Assert.Equal("rejected", tooLarge.State());
        Assert.Equal("allocated", split.State());
        Assert.Equal([world.Id("home-dc"), world.Id("member-dc")], split.DataCenters().Distinct().Order());
        Assert.Equal(0, (await world.PoolAsync("partner-dc", Storage)).Allocated);
        Assert.Equal(35, (await world.PoolAsync("home-dc", Storage)).Allocated + (await world.PoolAsync("member-dc", Storage)).Allocated);
    }

    private static async Task AssertNothingElsewhereAsync(World world, string constraint)
    {
        foreach (var other in Others)
        {
            Assert.True(
                (await world.PoolAsync(other, Storage)).Allocated + (await world.PoolAsync(other, Compute)).Allocated == 0,
                $"{constraint}: {other} was used");
        }
    }

    private static Dictionary<string, object?> SplitBody(World world, long storage, object constraints) => new()
    {
        ["items"] = new object[] { new { resource = world.Resource(Storage), amount = storage }, new { resource = world.Resource(Compute), amount = Vcpus } },
        ["constraints"] = constraints,
        ["splittable"] = true,
    };

    private Task<World> CreateWorldAsync() => broker.CreateWorldAsync(w =>
    {
        PoolSpec[] Big() => [Pool(Storage, 100_000, 0.0001m), Pool(Compute, 100_000, VcpuPrice)];
        var partner = w.Partner("partner").DataCenter("partner-dc", "DE-HE", ProtectionLevel.High, Big());
        var home = w.Member("home", "DE-HH").DataCenter("home-dc", "DE-HH", ProtectionLevel.Normal, Big());
        home.Contract(partner, Storage, maxAmount: 1_000_000, price: 0.0001m);
        home.Contract(partner, Compute, maxAmount: 1_000_000, price: VcpuPrice);
        w.Member("member", "DE-BY").DataCenter("member-dc", "DE-BY", ProtectionLevel.High, Big());
        w.Member("swiss", "CH").DataCenter("swiss-dc", "CH", ProtectionLevel.VeryHigh, Big());
        w.Member("austria", "AT").DataCenter("austria-dc", "AT-9", ProtectionLevel.VeryHigh, Big());
        w.Member("ok", "DE-NW")
            .DataCenter("ok-a", "DE-NW", ProtectionLevel.VeryHigh, Pool(Storage, 30, OkStoragePrice), Pool(Compute, 100, VcpuPrice))
            .DataCenter("ok-b", "DE-NW", ProtectionLevel.VeryHigh, Pool(Storage, 30, OkStoragePrice));
        w.Tenant("t", home);
    });
}
