using System.Diagnostics;

namespace Broker.Tests.Cluster;

/// <summary>PostgreSQL goes away under load: the API says 503 with Retry-After, loses nothing, and recovers by itself.</summary>
[Collection(ClusterCollection.Name)]
public sealed class DatabaseOutageTests(ClusterFixture cluster, Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task PostgresStopped_UnderLoad_503WithRetryAfterNothingLostThenServesAgain()
    {
        var world = await ClusterWorld.CreateAsync(cluster, 1_000);
        var before = await world.SubmitAsync(0, 10, "before-outage");
        Assert.Equal("allocated", before!.Value.Body.State());

        await Shell.RunOrThrowAsync(RepoPaths.PgScript, "down");
        var during = new List<(HttpStatusCode Status, string? RetryAfter, string Body, TimeSpan Took)>();
        try
        {
            // Several seconds of load while the database is away: bounded in time and in count.
            var outage = Stopwatch.StartNew();
            for (var round = 0; round < 25 && outage.Elapsed < TimeSpan.FromSeconds(5); round++)
            {
                during.AddRange(await Task.WhenAll(Enumerable.Range(0, 4).Select(i => TimedPostAsync(world, i % 2, $"during-{round}-{i}"))));
            }
        }
        finally
        {
            await Shell.RunOrThrowAsync(RepoPaths.PgScript, "up");
        }

        var clock = Stopwatch.StartNew();
        var after = await Eventually.ReturnsAsync(
            () => world.SubmitAsync(0, 1, "after-" + Guid.NewGuid()),
            a => a?.Status == HttpStatusCode.Created && a.Value.Body.State() == "allocated",
            "a request is allocated after the database is back",
            TimeSpan.FromSeconds(90));
        output.WriteLine($"served again {clock.Elapsed} after the database was back; answers during the outage: {string.Join(", ", during.Select(d => $"{(int)d.Status} in {d.Took.TotalSeconds:F1}s"))}");

        Assert.All(during, d =>
        {
            Assert.True(d.Status == HttpStatusCode.ServiceUnavailable, $"answered {(int)d.Status} during the outage: {d.Body}");
            Assert.Equal("2", d.RetryAfter);
            Assert.Contains("\"code\":\"unavailable\"", d.Body, StringComparison.Ordinal);
            Assert.True(d.Took < TimeSpan.FromSeconds(45), $"took {d.Took}");
        });
        Assert.Equal("allocated", after!.Value.Body.State());
        Assert.Equal("allocated", (await world.GetAsync(1, world.IdFor("before-outage"))).State());
    }

    private static async Task<(HttpStatusCode, string?, string, TimeSpan)> TimedPostAsync(ClusterWorld world, int silo, string key)
    {
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
