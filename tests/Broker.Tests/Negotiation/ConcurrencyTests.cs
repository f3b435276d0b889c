using System.Text.Json;

namespace Broker.Tests.Negotiation;

/// <summary>
/// A burst of concurrent requests through the real HTTP API against pools that can take half of them:
/// exactly the capacity is allocated, no pool exceeds what it may give, every request ends in one
/// terminal state, and the ledger matches the allocations to the last digit.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class ConcurrencyTests(BrokerFixture broker, Xunit.Abstractions.ITestOutputHelper output)
{
    private const int Requests = 2_000;
    private const string Resource = "compute.vcpu";

    // home 300 + member 400 + member 100 × ratio 2 + partner contract 100 = 1,000 = half the requests.
    private static readonly Dictionary<string, long> CapacityByDataCenter = new()
    {
        ["home-dc"] = 300,
        ["m1-dc"] = 400,
        ["m2-dc"] = 200,
        ["partner-dc"] = 100,
    };

    // What one unit-hour costs the tenant at each data center, from the world's definition below: the members' list
    // prices, and for the partner the home provider's contract price (not the partner's list price of 0.02).
    private const decimal HomePrice = 0.014m;
    private const decimal M1Price = 0.013m;
    private const decimal M2Price = 0.015m;
    private const decimal PartnerListPrice = 0.02m;
    private const decimal ContractPrice = 0.012m;

    private static readonly Dictionary<string, decimal> PriceByDataCenter = new()
    {
        ["home-dc"] = HomePrice,
        ["m1-dc"] = M1Price,
        ["m2-dc"] = M2Price,
        ["partner-dc"] = ContractPrice,
    };

    [Fact]
    public async Task Submit_TwiceAsManyConcurrentRequestsAsCapacity_AllocatesExactlyTheCapacityAndTheLedgerBalances()
    {
        var tenants = new[] { "t0", "t1", "t2", "t3" };
        var world = await broker.CreateWorldAsync(w =>
        {
            var partner = w.Partner("partner").DataCenter("partner-dc", "DE-HE", ProtectionLevel.Normal, Pool(Resource, 10_000, PartnerListPrice));
            var home = w.Member("home", "DE-HH").DataCenter("home-dc", "DE-HH", ProtectionLevel.Normal, Pool(Resource, 300, HomePrice));
            home.Contract(partner, Resource, maxAmount: 100, price: ContractPrice);
            w.Member("m1", "DE-BY").DataCenter("m1-dc", "DE-BY", ProtectionLevel.Normal, Pool(Resource, 400, M1Price));
            w.Member("m2", "DE-NW").DataCenter("m2-dc", "DE-NW", ProtectionLevel.Normal, Pool(Resource, 100, M2Price, ratio: 2.0));
            foreach (var tenant in tenants)
            {
                w.Tenant(tenant, home);
            }
        });

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var results = await Task.WhenAll(Enumerable.Range(0, Requests).Select(i => world.RequestAsync(tenants[i % tenants.Length], world.Body(Resource, 1))));

        output.WriteLine($"submitted in {clock.Elapsed}");
        Assert.All(results, r => Assert.True(r.Status is HttpStatusCode.Created or HttpStatusCode.Accepted, $"answered {r.Status}: {r.Body}"));
        var states = results.Select(r => r.Body.State()).GroupBy(s => s).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(new Dictionary<string, int> { ["allocated"] = 1_000, ["rejected"] = 1_000 }, states);
        Assert.All(results.Where(r => r.Body.State() == "rejected"), r => Assert.Equal("no-capacity", r.Body.ReasonCode()));

        var allocated = results.Select(r => r.Body).Where(b => b.State() == "allocated").ToList();
        foreach (var (dataCenter, capacity) in CapacityByDataCenter)
        {
            var pool = await world.PoolAsync(dataCenter, Resource);
            var byRequests = allocated.Count(a => a.DataCenters().Single() == world.Id(dataCenter));
            Assert.Equal((dataCenter, capacity, capacity, 0L), (dataCenter, pool.Allocated, (long)byRequests, pool.Held));
        }

        output.WriteLine($"checked in {clock.Elapsed}");
        await ReleaseAllAfterAsync(world, allocated, TimeSpan.FromHours(10));
        output.WriteLine($"released in {clock.Elapsed}");
        await AssertLedgerMatchesAsync(world, tenants, allocated, hours: 10);
    }

    private async Task ReleaseAllAfterAsync(World world, List<JsonElement> allocated, TimeSpan after)
    {
        broker.Clock.Advance(after);
        var released = await Task.WhenAll(allocated.Select(async a =>
        {
            var client = world.Tenant(a.GetProperty("tenant").GetString()!.Split('-')[0]);
            using var response = await client.DeleteAsync($"/v1/requests/{a.GetProperty("id").GetString()}");
            return (response.StatusCode, Body: await Json.ReadAsync(response));
        }));
        Assert.All(released, r => Assert.Equal((HttpStatusCode.OK, "released"), (r.StatusCode, r.Body.State())));
        foreach (var dataCenter in CapacityByDataCenter.Keys)
        {
            Assert.Equal(0, (await world.PoolAsync(dataCenter, Resource)).Allocated);
        }
    }

    private async Task AssertLedgerMatchesAsync(World world, string[] tenants, List<JsonElement> allocated, int hours)
    {
        var period = allocated[0].GetProperty("decidedAt").GetDateTimeOffset().ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        // Expected from the definition (1 unit × hours × the price where it was served), never from the broker's own
        // hourlyCost: a wrong price would balance against itself.
        var expected = allocated.Sum(a => ExpectedCost(world, a, hours));

        var billed = 0m;
        foreach (var tenant in tenants)
        {
            var client = world.Tenant(tenant);
            var bill = await Json.ReadAsync(await client.GetAsync($"/v1/billing/tenants/{world.Id(tenant)}?period={period}"));
            billed += bill.GetProperty("total").GetDecimal();
        }

        Assert.Equal(expected, billed);

        // What serving providers charged the home provider equals what the home provider was charged by them.
        var homeAdmin = world.Admin("home");
        var home = await Json.ReadAsync(await homeAdmin.GetAsync($"/v1/billing/providers/{world.Id("home")}?period={period}"));
        Assert.Equal(expected, home.GetProperty("charged").GetDecimal());
        foreach (var serving in new[] { "m1", "m2", "partner" })
        {
            var admin = world.Admin(serving);
            var statement = await Json.ReadAsync(await admin.GetAsync($"/v1/billing/providers/{world.Id(serving)}?period={period}"));
            var chargedHome = statement.GetProperty("counterparties").EnumerateArray().Single().GetProperty("charged").GetDecimal();
            var homeWasCharged = home.GetProperty("counterparties").EnumerateArray()
                .Single(c => c.GetProperty("counterparty").GetProperty("id").GetString() == world.Id(serving)).GetProperty("chargedBy").GetDecimal();
            var servedHere = allocated.Where(a => a.GetProperty("allocation").GetProperty("provider").GetString() == world.Id(serving))
                .Sum(a => ExpectedCost(world, a, hours));
            Assert.Equal((serving, servedHere, servedHere), (serving, chargedHome, homeWasCharged));
        }
    }

    private static decimal ExpectedCost(World world, JsonElement allocated, int hours)
    {
        var dataCenter = PriceByDataCenter.Keys.Single(dc => world.Id(dc) == allocated.DataCenters().Single());
        return 1 * hours * PriceByDataCenter[dataCenter];
    }
}
