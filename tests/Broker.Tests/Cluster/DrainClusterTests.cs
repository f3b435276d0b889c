using System.Text.Json;

namespace Broker.Tests.Cluster;

/// <summary>
/// A drain across real crashes, on PostgreSQL and three silo processes: the silo that hosts the drained data center is
/// killed with SIGKILL while the drain moves, and later the whole cluster is; the drain comes back by itself (its
/// reminder), finishes, and what is stored is exactly what the requests report — nothing lost, nothing held twice,
/// every request allocated throughout, the drained data center refusing new work until the drain is ended.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class DrainClusterTests(ClusterFixture cluster)
{
    private const int Requests = 40;
    private const long Units = 10;

    [Fact]
    public async Task KillNine_DuringADrain_AndAWholeClusterRestart_TheDrainFinishes_BooksAgree()
    {
        var world = await ClusterWorld.CreateAsync(cluster, 1_000);
        var drained = world.DataCenterOf(cluster.Providers[0]);
        var ids = new List<string>();
        for (var i = 0; i < Requests; i++)
        {
            // The tenant's home is the first provider: every request lands at its data center, the one to drain.
            var answer = await world.SubmitAsync(1, Units, $"drain-{i}");
            Assert.Equal("allocated", answer!.Value.Body.State());
            Assert.Equal(drained, ClusterWorld.AllocationOf(answer.Value.Body).DataCenter);
            ids.Add(answer.Value.Body.GetProperty("id").GetString()!);
        }

        using var admin = cluster.Client(1, cluster.FederationAdminToken);
        using var started = await admin.PostAsync($"/v1/datacenters/{drained}/drain", Json.Content(new { reason = "crash test" }));
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);

        // Silo 0 runs the drained data center's grain (its owner's): killed at once, with moves in flight.
        cluster.Silo[0].Kill();
        await cluster.StartAsync(0);
        var afterKill = await DrainAsync(1, drained, d => d.GetProperty("state").GetString() == "drained");

        foreach (var silo in cluster.Silo)
        {
            silo.Kill();
        }

        await cluster.StartAsync(0, 1, 2);
        var afterRestart = await DrainAsync(2, drained, d => d.GetProperty("state").GetString() == "drained");

        Assert.Equal(((long)Requests, 0L), (afterKill.GetProperty("moved").GetInt64(), afterKill.GetProperty("remaining").GetInt64()));
        Assert.Equal(((long)Requests, 0L, "crash test"), (afterRestart.GetProperty("moved").GetInt64(), afterRestart.GetProperty("remaining").GetInt64(), afterRestart.GetProperty("reason").GetString()));
        var reported = new Dictionary<string, (string DataCenter, long Units)>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            var request = await world.GetAsync(0, id);
            Assert.Equal("allocated", request.State());
            var move = Assert.Single(request.GetProperty("moves").EnumerateArray());
            Assert.Equal(drained, move.GetProperty("from").GetString());
            reported[id] = ClusterWorld.AllocationOf(request);
            Assert.NotEqual(drained, reported[id].DataCenter);
        }

        Assert.Empty(await cluster.StoredAllocationsAsync(drained));
        Assert.Equal("", await world.BooksDisagreeAsync(0, reported));

        // Still draining after the restart: a new request goes elsewhere; ended, the data center takes it again.
        var whileDrained = await world.SubmitAsync(2, Units, "after-restart");
        Assert.NotEqual(drained, ClusterWorld.AllocationOf(whileDrained!.Value.Body).DataCenter);
        using var stopped = await admin.DeleteAsync($"/v1/datacenters/{drained}/drain");
        Assert.Equal("none", (await Json.ReadAsync(stopped)).GetProperty("state").GetString());
        var afterStop = await Eventually.ReturnsAsync(
            () => world.SubmitAsync(2, Units, $"after-stop-{Guid.NewGuid():N}"),
            a => a is { } r && r.Body.State() == "allocated" && ClusterWorld.AllocationOf(r.Body).DataCenter == drained,
            "a new request served at home again once the drain ended");
        Assert.NotNull(afterStop);
    }

    /// <summary>Polls the drain through one silo until <paramref name="done"/>; a 503 while the cluster settles counts as not yet.</summary>
    private async Task<JsonElement> DrainAsync(int silo, string dataCenter, Func<JsonElement, bool> done)
    {
        using var admin = cluster.Client(silo, cluster.FederationAdminToken);
        return await Eventually.ReturnsAsync(
            async () =>
            {
                try
                {
                    using var response = await admin.GetAsync($"/v1/datacenters/{dataCenter}/drain");
                    return response.StatusCode == HttpStatusCode.OK ? await Json.ReadAsync(response) : default;
                }
                catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
                {
                    return default;
                }
            },
            d => d.ValueKind == JsonValueKind.Object && done(d),
            $"the drain of {dataCenter} as expected",
            TimeSpan.FromSeconds(180));
    }
}
