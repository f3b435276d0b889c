using System.Diagnostics;
using System.Text.Json;

namespace Broker.Tests.Cluster;

/// <summary>
/// The broker as a distributed system of real processes on PostgreSQL: data centers live on their
/// owners' silos, and nothing confirmed is lost when a silo is killed or the whole cluster restarts.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class DurableClusterTests(ClusterFixture cluster, Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task Placement_EachDataCenterRunsOnItsOwnersSilo()
    {
        var world = await ClusterWorld.CreateAsync(cluster, 100);

        var hosts = await Eventually.ReturnsAsync(
            async () => (await world.DataCentersAsync(1)).ToDictionary(dc => dc.Key, dc => dc.Value.GetProperty("hostedOn").GetProperty("provider").GetString()),
            h => h.All(dc => dc.Key == dc.Value),
            "every data center on its owner's silo");

        Assert.Equal(cluster.Providers.Order(), hosts.Keys.Order());
    }

    // Calls in flight at once in the kill test.
    private const int Concurrency = 16;

    [Fact]
    public async Task KillNine_OneSiloDuringAStreamOfRequests_NothingConfirmedLostNoOvercommitServiceResumes()
    {
        const int requests = 400;
        const long capacity = 100;
        const int killedAt = requests / 3;
        var world = await ClusterWorld.CreateAsync(cluster, capacity);
        var keys = Enumerable.Range(0, requests).Select(i => $"stream-{i}").ToArray();
        var answers = new (HttpStatusCode Status, JsonElement Body)?[requests];
        Task<TimeSpan>? failover = null;
        Task<TimeSpan>? declaredDead = null;
        try
        {
            // Clients use the two silos that stay up; the third (provider pc) is killed a third of the way in.
            using var gate = new SemaphoreSlim(Concurrency);
            await Task.WhenAll(Enumerable.Range(0, requests).Select(async i =>
            {
                await gate.WaitAsync();
                try
                {
                    if (i == killedAt)
                    {
                        cluster.Silo[2].Kill();
                        failover = MeasureFailoverAsync(world, cluster.Providers[2]);
                        declaredDead = cluster.TimeUntilDeclaredDeadAsync(cluster.Silo[2].SiloPort);
                    }

                    answers[i] = await world.SubmitAsync(i % 2, 1, keys[i]);
                }
                finally
                {
                    gate.Release();
                }
            }));

            // A client retries what it got no decided answer for, with the same key: the broker answers for that one request.
            for (var i = 0; i < requests; i++)
            {
                if (answers[i] is not { } a || a.Status is not (HttpStatusCode.Created or HttpStatusCode.OK) || a.Body.State() == "negotiating")
                {
                    answers[i] = await RetryUntilAnsweredAsync(world, keys[i]);
                }
            }

            var failoverTime = await failover!;
            var deadAfter = await declaredDead!;
            output.WriteLine($"the killed provider's data center answered again {failoverTime} after the kill; the silo was declared dead after {deadAfter}");
            Assert.True(deadAfter < TimeSpan.FromSeconds(15), $"the killed silo was declared dead only after {deadAfter}");
            Assert.True(failoverTime < TimeSpan.FromSeconds(30), $"the killed provider's data center answered again only after {failoverTime}");

            Assert.All(answers, a => Assert.Contains(a!.Value.Body.State(), new[] { "allocated", "rejected" }));
            var bodies = answers.Select(a => a!.Value.Body).ToArray();
            var allocated = bodies.Where(b => b.State() == "allocated").ToDictionary(b => b.GetProperty("id").GetString()!, ClusterWorld.AllocationOf);
            foreach (var id in allocated.Keys)
            {
                Assert.Equal("allocated", (await world.GetAsync(1, id)).State());
            }

            // Per data center and per request, not in total: the units each owner reports and the allocation rows it
            // stored name exactly the requests that report an allocation there (a lost allocation plus a stray one
            // elsewhere would balance a total). Holds of interrupted negotiations end within their TTL (5 s here), and
            // allocations no request decided on are released by the owners' checks, so wait for rest.
            await Eventually.ReturnsAsync(() => world.BooksDisagreeAsync(0, allocated), disagreement => disagreement.Length == 0, "the books agree per data center");
            Assert.All(allocated.Values.GroupBy(a => a.DataCenter), dc => Assert.InRange(dc.Sum(a => a.Units), 0, capacity));

            // Served after the kill while capacity remains: no request after the kill is turned away before the two providers
            // that stayed up were nearly full — up to one unit per concurrent call may be held by an interrupted negotiation
            // (a hold, for at most its TTL, or a confirm whose request died with the silo, until the data center's check
            // releases it once the silo is declared dead).
            var live = new[] { world.DataCenterOf(cluster.Providers[0]), world.DataCenterOf(cluster.Providers[1]) };
            var rejectedAfterKill = bodies[killedAt..].Where(b => b.State() == "rejected").ToArray();
            Assert.All(rejectedAfterKill, b => Assert.Equal("no-capacity", b.ReasonCode()));
            if (rejectedAfterKill.Length > 0)
            {
                var firstRejection = rejectedAfterKill.Min(b => b.GetProperty("decidedAt").GetDateTimeOffset());
                var servedByThen = bodies.Count(b => b.State() == "allocated" && live.Contains(b.DataCenters().Single())
                    && b.GetProperty("decidedAt").GetDateTimeOffset() <= firstRejection + TimeSpan.FromSeconds(6));
                Assert.True(servedByThen >= (2 * capacity) - Concurrency, $"a request after the kill was rejected at {firstRejection:O} with only {servedByThen} units served by the live providers by then");
            }

            // At rest every unit left is served, and not one more: as many further requests as the data centers report free
            // are all allocated, the next one is rejected, and every data center ends exactly full.
            var free = (await world.DataCentersAsync(0)).Values.Sum(dc => capacity - ClusterWorld.PoolOf(dc).GetProperty("allocated").GetInt64());
            output.WriteLine($"at rest after the stream: {free} units free");
            for (var i = 0; i < free; i++)
            {
                var topUp = await RetryUntilAnsweredAsync(world, $"top-up-{i}");
                Assert.Equal("allocated", topUp.Body.State());
            }

            var beyond = await RetryUntilAnsweredAsync(world, "beyond");
            Assert.Equal(("rejected", "no-capacity"), (beyond.Body.State(), beyond.Body.ReasonCode()));
            Assert.All((await world.DataCentersAsync(1)).Values, dc => Assert.Equal(capacity, ClusterWorld.PoolOf(dc).GetProperty("allocated").GetInt64()));
        }
        finally
        {
            if (!cluster.Silo[2].IsRunning)
            {
                await cluster.StartAsync(2);
            }
        }
    }

    /// <summary>From the kill until the killed provider's data center answers again (re-activated on a live silo).</summary>
    private async Task<TimeSpan> MeasureFailoverAsync(ClusterWorld world, string provider)
    {
        var clock = Stopwatch.StartNew();
        using var admin = cluster.Client(0, world.AdminTokenOf(provider));
        admin.Timeout = TimeSpan.FromSeconds(5);
        await Eventually.ReturnsAsync(
            async () =>
            {
                try
                {
                    using var response = await admin.GetAsync($"/v1/providers/{provider}/datacenters");
                    return response.StatusCode;
                }
                catch (TaskCanceledException)
                {
                    return HttpStatusCode.RequestTimeout;
                }
            },
            status => status == HttpStatusCode.OK,
            "the killed provider's data center answers",
            TimeSpan.FromSeconds(60));
        return clock.Elapsed;
    }

    [Fact]
    public async Task WholeClusterRestart_KeepsAllocationsAndLeasesStillEndOnTime()
    {
        var world = await ClusterWorld.CreateAsync(cluster, 1_000);
        var longLease = await world.SubmitAsync(0, 300, "long", "P30D");
        var shortLease = await world.SubmitAsync(1, 200, "short", "PT25S");
        Assert.Equal(("allocated", "allocated"), (longLease!.Value.Body.State(), shortLease!.Value.Body.State()));

        foreach (var silo in cluster.Silo)
        {
            silo.Kill();
        }

        var restart = Stopwatch.StartNew();
        await cluster.StartAsync(0, 1, 2);
        output.WriteLine($"whole cluster ready again after {restart.Elapsed}");

        var longAfter = await world.GetAsync(2, world.IdFor("long"));
        Assert.Equal("allocated", longAfter.State());
        Assert.Equal(longLease.Value.Body.GetProperty("leaseExpiresAt").GetDateTimeOffset(), longAfter.GetProperty("leaseExpiresAt").GetDateTimeOffset());
        var leaseEnd = shortLease.Value.Body.GetProperty("leaseExpiresAt").GetDateTimeOffset();

        // The short lease ends by the clock after the restart: capacity returns and the request reads expired.
        // While the restarted cluster settles a silo may answer 503 (retry later): that counts as "not yet".
        var units = await Eventually.ReturnsAsync(
            async () =>
            {
                try
                {
                    return (await world.DataCentersAsync(2)).Values.Sum(dc => ClusterWorld.PoolOf(dc).GetProperty("allocated").GetInt64());
                }
                catch (Xunit.Sdk.TrueException unavailable) when (unavailable.Message.Contains("answered 503", StringComparison.Ordinal))
                {
                    return -1L;
                }
            },
            u => u == 300,
            "the short lease's capacity comes back",
            TimeSpan.FromSeconds(90));
        var shortAfter = await world.GetAsync(0, world.IdFor("short"));
        Assert.True(DateTimeOffset.UtcNow >= leaseEnd, "capacity came back before the lease ended");
        Assert.Equal(("expired", leaseEnd), (shortAfter.State(), shortAfter.GetProperty("endedAt").GetDateTimeOffset()));
        Assert.Equal(300, units);

        // The audit trail came through the restart from PostgreSQL, and the expiry after it was added by the broker.
        using var admin = cluster.Client(1, cluster.FederationAdminToken);
        var trail = await Json.ReadAsync(await admin.GetAsync($"/v1/audit?tenant={world.Tenant}&limit=10"));
        Assert.Equal(
            [(world.IdFor("short"), "request.expired", "broker"), (world.IdFor("short"), "request.decided", $"tenant:{world.Tenant}"), (world.IdFor("long"), "request.decided", $"tenant:{world.Tenant}")],
            trail.GetProperty("items").EnumerateArray().Select(e => (e.GetProperty("subject").GetString(), e.GetProperty("action").GetString(), e.GetProperty("actor").GetString())).OrderBy(e => e.Item1 == world.IdFor("long")));
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> RetryUntilAnsweredAsync(ClusterWorld world, string key)
    {
        var answer = await Eventually.ReturnsAsync(
            () => world.SubmitAsync(0, 1, key),
            a => a is { } r && r.Status is HttpStatusCode.OK or HttpStatusCode.Created && r.Body.State() != "negotiating",
            $"a decided answer for {key}");
        return answer!.Value;
    }
}
