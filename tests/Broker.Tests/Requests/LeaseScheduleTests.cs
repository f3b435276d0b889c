using System.Text.Json;
using Broker.Providers;
using Broker.Tenants;

namespace Broker.Tests.Requests;

/// <summary>
/// A lease ends by the broker's own schedule while nobody asks about it: no read of the request, of the data center
/// grain or of its pools comes before the end is visible. Its capacity, the tenant's quota and the home provider's
/// contract volume come back, and the bill charges exactly up to the lease end.
/// </summary>
// A broker of its own whose data centers' periodic timer runs every second (the default is 30 s): Orleans timers
// run on wall time, while whether a lease has ended is read from the broker's clock, which the test moves.
public sealed class LeaseScheduleTests() : OwnBroker("--Broker:Directory:RepublishInterval", "00:00:01")
{
    private const long Amount = 800;
    private const decimal ContractPrice = 0.012m;

    [Fact]
    public async Task PartnerLease_EndsWhileNobodyAsks_CapacityQuotaAndContractComeBack_BilledToTheEnd()
    {
        var world = await Broker.CreateWorldAsync(w =>
        {
            var partner = w.Partner("partner", "DE-HE").DataCenter("partner-dc", "DE-HE", ProtectionLevel.Normal, Pool("compute.vcpu", 10_000, 0.02m));
            var home = w.Member("home", "DE-NW").DataCenter("home-dc", "DE-NW", ProtectionLevel.Normal, Pool("compute.vcpu", 10, 0.014m));
            home.Contract(partner, "compute.vcpu", maxAmount: 1_000, price: ContractPrice);
            w.Tenant("t", home, new Dictionary<string, long> { ["compute.vcpu"] = 1_000 });
        });
        var start = Broker.Clock.GetUtcNow();
        var (_, request) = await world.RequestAsync("t", world.Body("compute.vcpu", Amount, lease: "PT2H"));
        Assert.Equal(("allocated", "partner"), (request.State(), request.Tier()));
        var id = request.GetProperty("id").GetString()!;
        var leaseEnd = request.GetProperty("leaseExpiresAt").GetDateTimeOffset();
        Assert.Equal(start + TimeSpan.FromHours(2), leaseEnd);
        Assert.Equal(Amount, await QuotaInUseAsync(world));
        Assert.Equal(Amount, await ContractUsedAsync(world));

        Broker.Clock.Advance(TimeSpan.FromHours(3));

        // The capacity view is the directory's copy, published by the data center: reading it ends nothing.
        await Eventually.ReturnsAsync(() => CapacityViewAllocatedAsync(world), allocated => allocated == 0, "the capacity view shows the lease's capacity free");
        await Eventually.ReturnsAsync(() => QuotaInUseAsync(world), inUse => inUse == 0, "the tenant's quota is free again");
        await Eventually.ReturnsAsync(() => ContractUsedAsync(world), used => used == 0, "the contract's volume is back");
        var bill = await Eventually.ReturnsAsync(() => BillAsync(world, start), b => b.GetProperty("requests").GetArrayLength() == 1, "the lease is billed");

        // Expected from the federation definition, not from the broker's answer: amount × hours × the contract price.
        var entry = Assert.Single(bill.GetProperty("requests")[0].GetProperty("entries").EnumerateArray());
        Assert.Equal(id, bill.GetProperty("requests")[0].GetProperty("requestId").GetString());
        Assert.Equal((start, leaseEnd), (entry.GetProperty("from").GetDateTimeOffset(), entry.GetProperty("to").GetDateTimeOffset()));
        Assert.Equal(Amount * 2 * ContractPrice, bill.GetProperty("total").GetDecimal());
        var (_, ended) = await world.GetAsync("t", id);
        Assert.Equal(("expired", leaseEnd), (ended.State(), ended.GetProperty("endedAt").GetDateTimeOffset()));
    }

    private static async Task<long> CapacityViewAllocatedAsync(World world)
    {
        using var response = await world.Tenant("t").GetAsync("/v1/federation/capacity");
        var capacity = await Json.ReadAsync(response);
        return capacity.GetProperty("providers").EnumerateArray()
            .SelectMany(p => p.GetProperty("dataCenters").EnumerateArray())
            .Where(dc => dc.GetProperty("id").GetString() == world.Id("partner-dc"))
            .SelectMany(dc => dc.GetProperty("pools").EnumerateArray())
            .Single()
            .GetProperty("allocated").GetInt64();
    }

    private async Task<long> QuotaInUseAsync(World world) =>
        (await Broker.Grains.Reference<ITenantQuotaGrain>(world.Id("t")).InUseAsync()).GetValueOrDefault(world.Resource("compute.vcpu"));

    private async Task<long> ContractUsedAsync(World world) =>
        (await Broker.Grains.Reference<IProviderGrain>(world.Id("home")).GetContractUsageAsync())
            .Where(u => u.Partner == world.Id("partner") && u.Resource == world.Resource("compute.vcpu"))
            .Sum(u => u.Used);

    private static async Task<JsonElement> BillAsync(World world, DateTimeOffset when)
    {
        var period = when.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        using var response = await world.Tenant("t").GetAsync($"/v1/billing/tenants/{world.Id("t")}?period={period}");
        return await Json.ReadAsync(response);
    }
}
