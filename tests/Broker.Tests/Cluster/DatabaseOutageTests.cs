using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;

namespace Broker.Tests.Cluster;

/// <summary>
/// PostgreSQL goes away under load, with requests in flight as it goes: the API says 503 with Retry-After, loses
/// nothing, and recovers by itself. What it answered is checked after a whole-cluster restart, so that nothing
/// read back comes from a silo's memory, and the pools must hold exactly what the requests report.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class DatabaseOutageTests(ClusterFixture cluster, Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task PostgresStopped_UnderLoad_503WithRetryAfterNothingLostThenServesAgain()
    {
        // Room for every request the test can make: each one decided must be allocated.
        var world = await ClusterWorld.CreateAsync(cluster, 10_000);
        // Every request this test submits, by key, with its amount: each is asked about again after the restart.
        var amounts = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var before = await SubmitAsync(world, amounts, 0, 10, "before-outage");
        Assert.Equal("allocated", before!.Value.Body.State());

        // A stream of requests (units 1 to 4 by lane, so that the sums tell requests apart) runs while the database
        // goes: the calls in flight when it stops are answered either way, and must be kept as answered.
        // Each lane ends with one call begun after the stop, so the stream surely spans it.
        using var databaseStopped = new CancellationTokenSource();
        var streamed = new ConcurrentDictionary<string, (HttpStatusCode Status, JsonElement Body)?>(StringComparer.Ordinal);
        var stream = Task.WhenAll(Enumerable.Range(0, 4).Select(lane => Task.Run(async () =>
        {
            for (var n = 0; ; n++)
            {
                var last = databaseStopped.IsCancellationRequested;
                var key = $"in-flight-{lane}-{n}";
                streamed[key] = await SubmitAsync(world, amounts, lane % 2, lane + 1, key);
                if (last)
                {
                    return;
                }
            }
        })));
        await Eventually.ReturnsAsync(() => Task.FromResult(streamed.Count), count => count >= 8, "the stream is running");

        await Shell.RunOrThrowAsync(RepoPaths.PgScript, "down");
        var during = new List<(HttpStatusCode Status, string? RetryAfter, string Body, TimeSpan Took)>();
        try
        {
            await databaseStopped.CancelAsync();
            await stream;

            // Several seconds of load while the database is away: bounded in time and in count.
            var outage = Stopwatch.StartNew();
            for (var round = 0; round < 25 && outage.Elapsed < TimeSpan.FromSeconds(5); round++)
            {
                during.AddRange(await Task.WhenAll(Enumerable.Range(0, 4).Select(i => TimedPostAsync(world, amounts, i % 2, $"during-{round}-{i}"))));
            }
        }
        finally
        {
            await Shell.RunOrThrowAsync(RepoPaths.PgScript, "up");
        }

        var clock = Stopwatch.StartNew();
        var after = await Eventually.ReturnsAsync(
            () => SubmitAsync(world, amounts, 0, 1, "after-" + Guid.NewGuid()),
            a => a?.Status == HttpStatusCode.Created && a.Value.Body.State() == "allocated",
            "a request is allocated after the database is back",
            TimeSpan.FromSeconds(90));
        output.WriteLine($"served again {clock.Elapsed} after the database was back; {streamed.Count} streamed across the stop: {string.Join(", ", streamed.Values.GroupBy(a => a is { } r ? $"{(int)r.Status} {(r.Status is HttpStatusCode.Created or HttpStatusCode.OK ? r.Body.State() : "")}" : "no answer").Select(g => $"{g.Count()}× {g.Key}"))}; answers during the outage: {string.Join(", ", during.Select(d => $"{(int)d.Status} in {d.Took.TotalSeconds:F1}s"))}");

        Assert.All(during, d =>
        {
            Assert.True(d.Status == HttpStatusCode.ServiceUnavailable, $"answered {(int)d.Status} during the outage: {d.Body}");
            Assert.Equal("2", d.RetryAfter);
            Assert.Contains("\"code\":\"unavailable\"", d.Body, StringComparison.Ordinal);
            Assert.True(d.Took < TimeSpan.FromSeconds(45), $"took {d.Took}");
        });
        Assert.Equal("allocated", after!.Value.Body.State());
        // The stream spanned the stop: answered before it, refused (or cut off) after it.
        Assert.Contains(streamed.Values, a => a is { Status: HttpStatusCode.Created } r && r.Body.State() == "allocated");
        Assert.Contains(streamed.Values, a => a is null || a.Value.Status == HttpStatusCode.ServiceUnavailable);

        // Nothing read from here on comes from a silo's memory: every silo starts again from PostgreSQL.
        foreach (var silo in cluster.Silo)
        {
            silo.Kill();
        }

        await cluster.StartAsync(0, 1, 2);

        // Each request is asked for again with its key and body (a client's retry): what was decided stands, and
        // what was never recorded is decided now.
        var decided = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (key, amount) in amounts)
        {
            decided[key] = await DecidedAfterRestartAsync(world, key, amount);
        }

        Assert.Equal(("allocated", ClusterWorld.AllocationOf(before.Value.Body)), (decided["before-outage"].State(), ClusterWorld.AllocationOf(decided["before-outage"])));
        foreach (var (key, answer) in streamed.Where(s => s.Value is { Status: HttpStatusCode.Created or HttpStatusCode.OK } a && a.Body.State() != "negotiating"))
        {
            var was = answer!.Value.Body;
            var now = decided[key];
            Assert.True(was.State() == now.State(), $"{key} was answered {was.State()} before the restart, reads {now.State()} after it: {now}");
            if (was.State() == "allocated")
            {
                Assert.Equal(ClusterWorld.AllocationOf(was), ClusterWorld.AllocationOf(now));
            }
        }

        // The pools hold exactly what the requests report, per data center and per request, read after the restart.
        var allocated = decided.Values.Where(d => d.State() == "allocated").ToDictionary(d => d.GetProperty("id").GetString()!, ClusterWorld.AllocationOf);
        Assert.All(decided, d => Assert.True(d.Value.State() is "allocated", $"{d.Key}: {d.Value}"));
        await Eventually.ReturnsAsync(() => world.BooksDisagreeAsync(2, allocated), disagreement => disagreement.Length == 0, "the books agree per data center after the restart", TimeSpan.FromSeconds(60));
        Assert.Equal(amounts.Values.Sum(), allocated.Values.Sum(a => a.Units));
    }

    /// <summary>The request for <paramref name="key"/>, decided: submitted again with the same key and body until a decision comes back.</summary>
    private static async Task<JsonElement> DecidedAfterRestartAsync(ClusterWorld world, string key, long amount)
    {
        var answer = await Eventually.ReturnsAsync(
            () => world.SubmitAsync(2, amount, key),
            a => a is { Status: HttpStatusCode.Created or HttpStatusCode.OK } r && r.Body.State() != "negotiating",
            $"a decision for {key} after the restart",
            TimeSpan.FromSeconds(60));
        return answer!.Value.Body;
    }

    private static Task<(HttpStatusCode Status, JsonElement Body)?> SubmitAsync(ClusterWorld world, ConcurrentDictionary<string, long> amounts, int silo, long amount, string key)
    {
        amounts[key] = amount;
        return world.SubmitAsync(silo, amount, key);
    }

    private static async Task<(HttpStatusCode, string?, string, TimeSpan)> TimedPostAsync(ClusterWorld world, ConcurrentDictionary<string, long> amounts, int silo, string key)
    {
        amounts[key] = 1;
        var clock = Stopwatch.StartNew();
        using var client = world.Client(silo);
        using var message = new HttpRequestMessage(HttpMethod.Post, "/v1/requests")
        {
            Content = Json.Content(new { items = new[] { new { resource = world.Resource, amount = 1 } } }),
        };
        message.Headers.Add("Idempotency-Key", key);
        using var response = await client.SendAsync(message);
        return (response.StatusCode, response.Headers.RetryAfter?.ToString(), await response.Content.ReadAsStringAsync(), clock.Elapsed);
    }
}
