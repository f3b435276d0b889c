using System.Diagnostics;

namespace Broker.Tests.Cluster;

/// <summary>
/// The four ways the broker used to come apart under faults, on the real three-process cluster: PostgreSQL stopped
/// in the middle of a stream of creates, then every silo killed with SIGKILL and started again. What a client was
/// told is what a read returns afterwards; a create answered 503 is not shown from memory; no capacity stays
/// counted that no allocated request holds; nothing servable is called unsatisfiable.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class FaultConsistencyTests(ClusterFixture cluster, Xunit.Abstractions.ITestOutputHelper output)
{
    private const int Amount = 3;

    [Fact]
    public async Task PostgresOutageThenKill9OfEverySilo_AnswersNeverChangeNothingVanishesNothingLeaks()
    {
        var world = await ClusterWorld.CreateAsync(cluster, 100_000);
        var told = new Dictionary<string, (HttpStatusCode Status, string? State)>(StringComparer.Ordinal);

        // Before, during and after the outage: every answer is recorded with the key it was for.
        await SubmitRoundsAsync(world, "before", 3, told);
        await Shell.RunOrThrowAsync(RepoPaths.PgScript, "down");
        var retriedDuringOutage = new List<(string Key, HttpStatusCode First, HttpStatusCode Again, string? StateAgain)>();
        try
        {
            var outage = Stopwatch.StartNew();
            for (var round = 0; round < 6 && outage.Elapsed < TimeSpan.FromSeconds(6); round++)
            {
                var keys = await SubmitRoundsAsync(world, $"during-{round}", 1, told);

                // The same key again while the database is still away: a 503 must not turn into a request from memory.
                foreach (var key in keys.Where(k => told[k].Status != HttpStatusCode.Created && told[k].Status != HttpStatusCode.OK))
                {
                    var again = await world.SubmitAsync(round % ClusterFixture.Silos, Amount, key);
                    retriedDuringOutage.Add((key, told[key].Status, again?.Status ?? 0, again?.Body.TryGetProperty("state", out var s) == true ? s.GetString() : null));
                }
            }
        }
        finally
        {
            await Shell.RunOrThrowAsync(RepoPaths.PgScript, "up");
        }

        await Eventually.ReturnsAsync(
            () => world.SubmitAsync(0, Amount, "probe-" + Guid.NewGuid()),
            a => a?.Status == HttpStatusCode.Created,
            "a create is decided once the database is back",
            TimeSpan.FromSeconds(90));
        await SubmitRoundsAsync(world, "after", 2, told);

        foreach (var silo in cluster.Silo)
        {
            silo.Kill();
        }

        await cluster.StartAsync(0, 1, 2);
        output.WriteLine($"answers: {string.Join(", ", told.Values.GroupBy(t => $"{(int)t.Status} {t.State}").Select(g => $"{g.Key} ×{g.Count()}"))}");

        // 1. What a client was told is what a read returns after the restart.
        foreach (var (key, (status, state)) in told.Where(t => t.Value.Status is HttpStatusCode.Created or HttpStatusCode.OK))
        {
            var read = await ReadAsync(world, key);
            Assert.True(read.State == state, $"{key} was answered {(int)status} {state}, reads {read.Status} {read.State} after the restart");
        }

        // A 202 promised a request to poll: it is there after the restart, decided or still negotiating.
        foreach (var key in told.Where(t => t.Value.Status == HttpStatusCode.Accepted).Select(t => t.Key))
        {
            Assert.True((await ReadAsync(world, key)).State is not null, $"{key} was answered 202 and is gone after the restart");
        }

        // 2. A create answered 503 during the outage was 503 again for the same key, never a request from memory.
        output.WriteLine($"retried during the outage: {string.Join(", ", retriedDuringOutage.Select(r => $"{(int)r.First}→{(int)r.Again} {r.StateAgain}"))}");
        Assert.NotEmpty(retriedDuringOutage);
        Assert.All(retriedDuringOutage, r => Assert.True(
            r.Again is HttpStatusCode.ServiceUnavailable or 0 || r.StateAgain is "allocated" or "rejected",
            $"{r.Key}: answered {(int)r.First}, then {(int)r.Again} {r.StateAgain} while the database was still away"));

        // 3. At rest, what the pools count is exactly what allocated requests hold: nothing leaked, nothing doubled.
        var allocatedUnits = 0L;
        foreach (var key in told.Keys)
        {
            var read = await ReadAsync(world, key);
            Assert.True(read.State is null or "allocated" or "rejected", $"{key} reads {read.State}: not decided at rest");
            allocatedUnits += read.State == "allocated" ? Amount : 0;
        }

        var counted = await Eventually.ReturnsAsync(
            () => AllocatedUnitsAsync(world),
            units => units == allocatedUnits + Amount,
            $"the pools count what the allocated requests hold ({allocatedUnits} units, and the probe's {Amount})",
            TimeSpan.FromSeconds(90));
        Assert.Equal(allocatedUnits + Amount, counted);

        // 4. The federation could serve every request: no answer was 'unsatisfiable'.
        Assert.DoesNotContain(told, t => t.Value.State == "rejected");

        // Releasing everything gives every unit back.
        foreach (var key in told.Keys)
        {
            using var client = world.Client(0);
            using var release = await client.DeleteAsync($"/v1/requests/{world.IdFor(key)}");
            Assert.True(release.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound, $"releasing {key} answered {(int)release.StatusCode}");
        }

        await Eventually.ReturnsAsync(() => AllocatedUnitsAsync(world), units => units == Amount, "only the probe's units stay allocated", TimeSpan.FromSeconds(60));
    }

    /// <summary>Rounds of one create per silo at once; returns the keys sent.</summary>
    private static async Task<List<string>> SubmitRoundsAsync(ClusterWorld world, string label, int rounds, Dictionary<string, (HttpStatusCode, string?)> told)
    {
        var keys = new List<string>();
        for (var round = 0; round < rounds; round++)
        {
            var batch = Enumerable.Range(0, ClusterFixture.Silos).Select(silo => $"{label}-{round}-{silo}").ToArray();
            var answers = await Task.WhenAll(batch.Select((key, silo) => world.SubmitAsync(silo, Amount, key)));
            for (var i = 0; i < batch.Length; i++)
            {
                var state = answers[i] is { } a && a.Body.ValueKind == System.Text.Json.JsonValueKind.Object && a.Body.TryGetProperty("state", out var s) ? s.GetString() : null;
                told[batch[i]] = (answers[i]?.Status ?? 0, state);
                keys.Add(batch[i]);
            }
        }

        return keys;
    }

    /// <summary>The request as a read finds it once the restarted cluster answers: its state, or null when there is none (404).</summary>
    private static async Task<(int Status, string? State)> ReadAsync(ClusterWorld world, string key) =>
        await Eventually.ReturnsAsync(
            async () =>
            {
                using var client = world.Client(1);
                using var response = await client.GetAsync($"/v1/requests/{world.IdFor(key)}");
                (int Status, string? State) read = response.StatusCode switch
                {
                    HttpStatusCode.OK => (200, (await Json.ReadAsync(response)).State()),
                    HttpStatusCode.NotFound => (404, null),
                    var other => ((int)other, "unanswered"),
                };
                return read;
            },
            r => r.Status is 200 or 404,
            $"a read of {key} is answered",
            TimeSpan.FromSeconds(60));

    private static async Task<long> AllocatedUnitsAsync(ClusterWorld world)
    {
        try
        {
            return (await world.DataCentersAsync(2)).Values.Sum(dc => ClusterWorld.PoolOf(dc).GetProperty("allocated").GetInt64());
        }
        catch (Xunit.Sdk.TrueException unavailable) when (unavailable.Message.Contains("answered 503", StringComparison.Ordinal))
        {
            return -1;
        }
    }
}
