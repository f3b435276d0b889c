using System.Diagnostics;

namespace Broker.Tests.Cluster;

/// <summary>The concurrency invariants again, with durable storage, across three silo processes.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterConcurrencyTests(ClusterFixture cluster, Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task Submit_TwiceTheCapacityThroughThreeSilos_ExactlyTheCapacityAllocatedAndBilled()
    {
        const int requests = 600;
        const long capacityPerDataCenter = 100;
        var world = await ClusterWorld.CreateAsync(cluster, capacityPerDataCenter);

        var clock = Stopwatch.StartNew();
        var answers = await Task.WhenAll(Enumerable.Range(0, requests).Select(i => world.SubmitAsync(i % ClusterFixture.Silos, 1, $"burst-{i}")));
        var elapsed = clock.Elapsed;
        output.WriteLine($"{requests} durable decisions through 3 silos in {elapsed} ({requests / elapsed.TotalSeconds:F0}/s, one run)");

        Assert.All(answers, a => Assert.True(a is { Status: HttpStatusCode.Created }, $"answered {a?.Status}: {a?.Body}"));
        var states = answers.GroupBy(a => a!.Value.Body.State()).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(new Dictionary<string, int> { ["allocated"] = 300, ["rejected"] = 300 }, states);
        var dataCenters = await world.DataCentersAsync(1);
        Assert.All(dataCenters.Values, dc => Assert.Equal((capacityPerDataCenter, 0L), (ClusterWorld.PoolOf(dc).GetProperty("allocated").GetInt64(), ClusterWorld.PoolOf(dc).GetProperty("held").GetInt64())));

        var released = await Task.WhenAll(answers.Select(a => a!.Value.Body).Where(b => b.State() == "allocated").Select(async allocated =>
        {
            using var response = await world.Client(2).DeleteAsync($"/v1/requests/{allocated.GetProperty("id").GetString()}");
            return await Json.ReadAsync(response);
        }));
        Assert.All(released, r => Assert.Equal("released", r.State()));

        // Usage × time × the pools' list price of every allocation, to the tick, equals the tenant's bill; the price
        // comes from the world's definition, not from the broker's hourlyCost (a wrong price would balance against itself).
        var expected = released.Sum(r =>
        {
            var from = r.GetProperty("decidedAt").GetDateTimeOffset();
            var to = r.GetProperty("endedAt").GetDateTimeOffset();
            return 1 * ClusterWorld.PricePerUnitHour * (to - from).Ticks / TimeSpan.TicksPerHour;
        });
        var period = released[0].GetProperty("decidedAt").GetDateTimeOffset().ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        using var bill = await world.Client(0).GetAsync($"/v1/billing/tenants/{world.Tenant}?period={period}");
        // The bill shows the exact total rounded half-to-even to 6 places (the documented rule for EUR amounts).
        Assert.Equal(Math.Round(expected, 6, MidpointRounding.ToEven), (await Json.ReadAsync(bill)).GetProperty("total").GetDecimal());
        Assert.All((await world.DataCentersAsync(0)).Values, dc => Assert.Equal(0, ClusterWorld.PoolOf(dc).GetProperty("allocated").GetInt64()));
    }
}
