
namespace Broker.Tests.Negotiation;

/// <summary>Where a request lands: home first, then another member, then a partner under contract.</summary>
[Collection(BrokerCollection.Name)]
public sealed class TierOutcomeTests(BrokerFixture broker)
{
    [Fact]
    public async Task Submit_HomeHasCapacity_HomeWinsEvenWhenDearer()
    {
        var world = await broker.CreateWorldAsync(w =>
        {
            var home = w.Member("home", "DE-HH").DataCenter("home-dc", "DE-HH", ProtectionLevel.Normal, Pool("storage.ssd", 1000, 0.0009m));
            w.Member("cheap", "DE-BY").DataCenter("cheap-dc", "DE-BY", ProtectionLevel.Normal, Pool("storage.ssd", 1000, 0.0001m));
            w.Tenant("t", home);
        });

        var (status, request) = await world.RequestAsync("t", world.Body("storage.ssd", 400));

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("allocated", request.State());
        Assert.Equal("home", request.Tier());
        Assert.Equal([world.Id("home-dc")], request.DataCenters());
        Assert.Equal(400, (await world.PoolAsync("home-dc", "storage.ssd")).Allocated);
        Assert.Equal(0, (await world.PoolAsync("cheap-dc", "storage.ssd")).Allocated);
    }

    [Fact]
    public async Task Submit_HomeFull_SpillsToMember()
    {
        var world = await broker.CreateWorldAsync(w =>
        {
            var home = w.Member("home", "DE-HH").DataCenter("home-dc", "DE-HH", ProtectionLevel.Normal, Pool("storage.hdd", 10_240, 0.00004m));
            w.Member("other", "DE-BY").DataCenter("other-dc", "DE-BY", ProtectionLevel.Normal, Pool("storage.hdd", 400_000, 0.00005m));
            w.Tenant("t", home);
        });

        var (_, request) = await world.RequestAsync("t", world.Body("storage.hdd", 51_200));

        Assert.Equal("allocated", request.State());
        Assert.Equal("federation", request.Tier());
        Assert.Equal([world.Id("other-dc")], request.DataCenters());
        Assert.Equal(0, (await world.PoolAsync("home-dc", "storage.hdd")).Allocated);
    }

    [Fact]
    public async Task Submit_MembersFull_PartnerServesUnderContractWithContractPrice()
    {
        var world = await broker.CreateWorldAsync(w =>
        {
            var partner = w.Partner("partner").DataCenter("partner-dc", "DE-HE", ProtectionLevel.Normal, Pool("compute.vcpu", 10_000, 0.02m));
            var home = w.Member("home", "DE-NW").DataCenter("home-dc", "DE-NW", ProtectionLevel.Normal, Pool("compute.vcpu", 100, 0.014m));
            home.Contract(partner, "compute.vcpu", maxAmount: 4_000, price: 0.012m);
            w.Tenant("t", home);
        });

        var (_, request) = await world.RequestAsync("t", world.Body("compute.vcpu", 3_500));

        Assert.Equal("allocated", request.State());
        Assert.Equal("partner", request.Tier());
        Assert.Equal(world.Id("partner"), request.GetProperty("allocation").GetProperty("provider").GetString());
        Assert.Equal(0.012m, request.GetProperty("allocation").GetProperty("parts")[0].GetProperty("pricePerUnitHour").GetDecimal());
    }

    [Fact]
    public async Task Submit_PartnerWithoutContract_IsNeverUsed()
    {
        var world = await broker.CreateWorldAsync(w =>
        {
            var partner = w.Partner("partner").DataCenter("partner-dc", "DE-HE", ProtectionLevel.Normal, Pool("compute.vcpu", 10_000, 0.02m), Pool("storage.ssd", 10_000, 0.0001m));
            var home = w.Member("home", "DE-NW").DataCenter("home-dc", "DE-NW", ProtectionLevel.Normal, Pool("compute.vcpu", 100, 0.014m), Pool("storage.ssd", 10, 0.0001m));
            home.Contract(partner, "storage.ssd", maxAmount: 4_000, price: 0.0001m); // a contract, but for another class
            w.Tenant("t", home);
        });

        var (_, request) = await world.RequestAsync("t", world.Body("compute.vcpu", 500));

        // Home meets the constraints but is too small; the partner would fit but has no contract for the class.
        Assert.Equal("rejected", request.State());
        Assert.Equal("no-capacity", request.ReasonCode());
        Assert.DoesNotContain(request.GetProperty("trace").EnumerateArray(), t => t.GetProperty("dataCenter").GetString() == world.Id("partner-dc"));
        Assert.Equal(0, (await world.PoolAsync("partner-dc", "compute.vcpu")).Allocated);
    }

    [Fact]
    public async Task Submit_BeyondContractVolume_RejectedAndVolumeReturnsOnRelease()
    {
        var world = await broker.CreateWorldAsync(w =>
        {
            var partner = w.Partner("partner").DataCenter("partner-dc", "DE-HE", ProtectionLevel.Normal, Pool("storage.object", 1_000_000, 0.00003m));
            var home = w.Member("home", "DE-HH").DataCenter("home-dc", "DE-HH", ProtectionLevel.Normal, Pool("storage.object", 10, 0.00002m));
            home.Contract(partner, "storage.object", maxAmount: 1_000, price: 0.00002m);
            w.Tenant("t", home);
        });

        var (_, first) = await world.RequestAsync("t", world.Body("storage.object", 700));
        var (_, second) = await world.RequestAsync("t", world.Body("storage.object", 400));

        Assert.Equal("partner", first.Tier());
        Assert.Equal("rejected", second.State());
        Assert.Equal("no-capacity", second.ReasonCode());
        Assert.Contains(second.GetProperty("trace").EnumerateArray(), t => t.GetProperty("reason").GetString() == "contract-volume-exhausted");
        Assert.Equal(700, (await world.PoolAsync("partner-dc", "storage.object")).Allocated);

        var tenant = world.Tenant("t");
        (await tenant.DeleteAsync($"/v1/requests/{first.GetProperty("id").GetString()}")).EnsureSuccessStatusCode();
        var (_, third) = await world.RequestAsync("t", world.Body("storage.object", 400));
        Assert.Equal("partner", third.Tier());
    }

    [Fact]
    public async Task Submit_NoDataCenterMeetsConstraints_UnsatisfiableElseNoCapacity()
    {
        var world = await broker.CreateWorldAsync(w =>
        {
            var home = w.Member("home", "DE-HH").DataCenter("home-dc", "DE-HH", ProtectionLevel.High, Pool("storage.ssd", 100, 0.0001m));
            w.Tenant("t", home);
        });

        var (_, unsatisfiable) = await world.RequestAsync("t", world.Body("storage.ssd", 10, new { protectionLevel = "very-high" }));
        var (_, noCapacity) = await world.RequestAsync("t", world.Body("storage.ssd", 101, new { protectionLevel = "high" }));

        Assert.Equal("unsatisfiable", unsatisfiable.ReasonCode());
        Assert.Equal("no-capacity", noCapacity.ReasonCode());
        Assert.Equal(0, (await world.PoolAsync("home-dc", "storage.ssd")).Allocated);
    }

    [Fact]
    public async Task Submit_BundleFitsNowhereWhole_NotSplitUnlessSplittable()
    {
        var world = await broker.CreateWorldAsync(w =>
        {
            var home = w.Member("home", "DE-HH")
                .DataCenter("a", "DE-HH", ProtectionLevel.Normal, Pool("storage.ssd", 600, 0.0001m), Pool("compute.vcpu", 100, 0.01m))
                .DataCenter("b", "DE-SH", ProtectionLevel.Normal, Pool("storage.ssd", 600, 0.0001m));
            w.Tenant("t", home);
        });
        object Body(bool splittable) => new
        {
            items = new object[] { new { resource = world.Resource("storage.ssd"), amount = 1000 }, new { resource = world.Resource("compute.vcpu"), amount = 10 } },
            splittable,
        };

        var (_, whole) = await world.RequestAsync("t", Body(false));
        Assert.Equal("rejected", whole.State());
        Assert.Equal("no-capacity", whole.ReasonCode());

        var (_, split) = await world.RequestAsync("t", Body(true));
        Assert.Equal("allocated", split.State());
        var parts = split.GetProperty("allocation").GetProperty("parts").EnumerateArray().ToList();
        Assert.Equal(1000, parts.Where(p => p.GetProperty("resource").GetString() == world.Resource("storage.ssd")).Sum(p => p.GetProperty("amount").GetInt64()));
        var vcpu = Assert.Single(parts, p => p.GetProperty("resource").GetString() == world.Resource("compute.vcpu"));
        Assert.Equal(world.Id("a"), vcpu.GetProperty("dataCenter").GetString());
        Assert.Equal(2, parts.Select(p => p.GetProperty("dataCenter").GetString()).Distinct().Count());
        Assert.Equal(1000, (await world.PoolAsync("a", "storage.ssd")).Allocated + (await world.PoolAsync("b", "storage.ssd")).Allocated);
    }

    [Fact]
    public async Task Submit_OnlyHeadroomLeft_OnlyHighPriorityGetsIt()
    {
        var world = await broker.CreateWorldAsync(w =>
        {
            var home = w.Member("home", "DE-HH").DataCenter("home-dc", "DE-HH", ProtectionLevel.Normal, Pool("compute.memory", 100, 0.003m, headroom: 40));
            w.Tenant("t", home);
        });

        var (_, normalFits) = await world.RequestAsync("t", world.Body("compute.memory", 60));
        var (_, normalBeyond) = await world.RequestAsync("t", world.Body("compute.memory", 10));
        var (_, high) = await world.RequestAsync("t", world.Body("compute.memory", 40, priority: "high"));

        Assert.Equal("allocated", normalFits.State());
        Assert.Equal("no-capacity", normalBeyond.ReasonCode());
        Assert.Equal("allocated", high.State());
        Assert.Equal(100, (await world.PoolAsync("home-dc", "compute.memory")).Allocated);
    }
}
