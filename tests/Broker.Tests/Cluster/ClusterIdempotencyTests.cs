namespace Broker.Tests.Cluster;

/// <summary>One Idempotency-Key sent to different silo processes of the durable cluster at once: one request, wherever it lands.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterIdempotencyTests(ClusterFixture cluster)
{
    [Fact]
    public async Task SameKeySameBody_ThroughAllSilosAtOnce_OneRequestOneAllocation()
    {
        var world = await ClusterWorld.CreateAsync(cluster, 100);
        var key = "shared-" + Guid.NewGuid().ToString("N");

        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => world.SubmitAsync(i % ClusterFixture.Silos, 3, key)));

        Assert.All(answers, a => Assert.True(a is { Status: HttpStatusCode.Created or HttpStatusCode.OK } r && r.Body.State() == "allocated", $"answered {a?.Status}: {a?.Body}"));
        Assert.Equal([world.IdFor(key)], answers.Select(a => a!.Value.Body.GetProperty("id").GetString()!).Distinct());
        Assert.Equal(1, answers.Count(a => a!.Value.Status == HttpStatusCode.Created));
        var allocation = ClusterWorld.AllocationOf(answers[0]!.Value.Body);
        await BooksAgreeAsync(world, new Dictionary<string, (string, long)> { [world.IdFor(key)] = allocation });
    }

    [Fact]
    public async Task SameKeyTwoBodies_ThroughTwoSilosAtOnce_ExactlyOneRequestTheOther409()
    {
        var world = await ClusterWorld.CreateAsync(cluster, 100);
        var key = "shared-" + Guid.NewGuid().ToString("N");

        // Silo 0 sends 1 unit, silo 1 sends 2 units under the same key, six times each, all at once.
        var calls = Enumerable.Range(0, 12).Select(i => (Amount: 1L + (i % 2), Call: world.SubmitAsync(i % 2, 1 + (i % 2), key))).ToArray();
        await Task.WhenAll(calls.Select(c => c.Call));
        var answers = calls.Select(c => (c.Amount, Answer: c.Call.Result!.Value)).ToArray();

        var winner = Assert.Single(answers.Where(a => a.Answer.Status is HttpStatusCode.Created or HttpStatusCode.OK).Select(a => a.Amount).Distinct());
        Assert.All(answers.Where(a => a.Amount == winner), a => Assert.Equal("allocated", a.Answer.Body.State()));
        Assert.All(answers.Where(a => a.Amount != winner), a => Assert.Equal((HttpStatusCode.Conflict, "idempotency-key-reused"), (a.Answer.Status, a.Answer.Body.Code())));
        Assert.Equal(1, answers.Count(a => a.Answer.Status == HttpStatusCode.Created));
        var allocation = ClusterWorld.AllocationOf(answers.First(a => a.Amount == winner).Answer.Body);
        Assert.Equal(winner, allocation.Units);
        await BooksAgreeAsync(world, new Dictionary<string, (string, long)> { [world.IdFor(key)] = allocation });

        // A third silo, later, with the losing body: still the same one request, still a conflict.
        var late = await world.SubmitAsync(2, 3 - winner, key);
        Assert.Equal((HttpStatusCode.Conflict, "idempotency-key-reused"), (late!.Value.Status, late.Value.Body.Code()));
    }

    // Holds at the data centers a round asked but did not take are cancelled one-way: wait for them to go.
    private static Task BooksAgreeAsync(ClusterWorld world, Dictionary<string, (string, long)> allocated) =>
        Eventually.ReturnsAsync(() => world.BooksDisagreeAsync(2, allocated), disagreement => disagreement.Length == 0, "the books agree per data center");
}
