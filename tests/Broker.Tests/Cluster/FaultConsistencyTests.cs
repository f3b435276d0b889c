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
        var stream = new CreateStream(world);

        // A stream of creates runs across the whole outage, so some are in flight when the database goes and when it
        // comes back; a create answered other than decided is sent again at once with the same key.
        var running = stream.RunAsync();
        await Eventually.ReturnsAsync(() => Task.FromResult(stream.Decided), n => n >= 12, "creates decided before the outage", TimeSpan.FromSeconds(60));
        await Shell.RunOrThrowAsync(RepoPaths.PgScript, "down");
        try
        {
            var before = stream.Answered;
            await Eventually.ReturnsAsync(() => Task.FromResult(stream.Answered - before), n => n >= 24, "creates answered while the database is away", TimeSpan.FromSeconds(20));
        }
        finally
        {
            await Shell.RunOrThrowAsync(RepoPaths.PgScript, "up");
        }

        var decidedBeforeReturn = stream.Decided;
        await Eventually.ReturnsAsync(() => Task.FromResult(stream.Decided - decidedBeforeReturn), n => n >= 24, "creates decided once the database is back", TimeSpan.FromSeconds(90));
        stream.Stop();
        await running;

        foreach (var silo in cluster.Silo)
        {
            silo.Kill();
        }

        await cluster.StartAsync(0, 1, 2);
        var told = stream.Answers;
        output.WriteLine($"answers: {string.Join(", ", told.SelectMany(t => t.Value).GroupBy(a => a.ToString()).Select(g => $"{g.Key} ×{g.Count()}"))}");

        // 1. What a client was told is what a read returns after the restart; a key's decided answers never differ; a
        //    202 is never lost; and nothing servable was rejected (each data center holds far more than the stream asks).
        var allocatedUnits = 0L;
        foreach (var (key, answers) in told)
        {
            var decided = answers.Where(a => a.State is "allocated" or "rejected").Select(a => a.State).Distinct().ToList();
            var read = await ReadAsync(world, key);
            var history = string.Join(" then ", answers);
            Assert.True(decided.Count <= 1, $"{key} was answered {history}");
            Assert.True(decided.Count == 0 || read.State == decided[0], $"{key} was answered {history}, reads {read.Status} {read.State} after the restart");
            Assert.True(!answers.Any(a => a.Status == 202) || read.State is not null, $"{key} was answered {history} and is gone after the restart");
            Assert.True(read.State is null or "allocated", $"{key} reads {read.State} at rest (answered {history})");
            allocatedUnits += read.State == "allocated" ? Amount : 0;
        }

        // 2. A create answered 503 was never a request from memory: its retry with the same key was a 503 again or a
        //    decision that the restart kept (checked above), never "negotiating" from an activation ahead of storage.
        var afterUnavailable = told.Values.SelectMany(a => a.Zip(a.Skip(1))).Where(p => p.First.Status is 503 or 0).Select(p => p.Second).ToList();
        output.WriteLine($"answers right after a 503: {string.Join(", ", afterUnavailable)}");
        Assert.NotEmpty(afterUnavailable);
        Assert.DoesNotContain(afterUnavailable, a => a.State == "negotiating");

        // 3. At rest the pools count exactly what allocated requests hold: nothing leaked, nothing doubled.
        var counted = await Eventually.ReturnsAsync(
            () => AllocatedUnitsAsync(world),
            units => units == allocatedUnits,
            $"the pools count what the allocated requests hold ({allocatedUnits} units)",
            TimeSpan.FromSeconds(90));
        Assert.Equal(allocatedUnits, counted);

        // Releasing everything gives every unit back.
        foreach (var key in told.Keys)
        {
            using var client = world.Client(0);
            using var release = await client.DeleteAsync($"/v1/requests/{world.IdFor(key)}");
            Assert.True(release.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound, $"releasing {key} answered {(int)release.StatusCode}");
        }

        await Eventually.ReturnsAsync(() => AllocatedUnitsAsync(world), units => units == 0, "nothing stays allocated", TimeSpan.FromSeconds(60));
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

    private sealed record Answer(int Status, string? State)
    {
        public override string ToString() => $"{Status} {State}";
    }

    /// <summary>
    /// Four workers, each sending creates with keys of its own through the silos in turn, until stopped (bounded in
    /// count and time); an answer that is not a decision is followed at once by the same create with the same key.
    /// </summary>
    private sealed class CreateStream(ClusterWorld world)
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, List<Answer>> _answers = new(StringComparer.Ordinal);
        private readonly CancellationTokenSource _stop = new(TimeSpan.FromMinutes(3));
        private int _answered;
        private int _decided;

        public int Answered => Volatile.Read(ref _answered);

        public int Decided => Volatile.Read(ref _decided);

        public IReadOnlyDictionary<string, List<Answer>> Answers => _answers;

        public void Stop() => _stop.Cancel();

        public Task RunAsync() => Task.WhenAll(Enumerable.Range(0, 4).Select(WorkerAsync));

        private async Task WorkerAsync(int worker)
        {
            for (var n = 0; n < 500 && !_stop.IsCancellationRequested; n++)
            {
                var key = $"stream-{worker}-{n}";
                var answers = _answers.GetOrAdd(key, _ => []);
                var answer = await SubmitAsync(key, (worker + n) % ClusterFixture.Silos);
                answers.Add(answer);
                if (answer.State is not ("allocated" or "rejected"))
                {
                    answers.Add(await SubmitAsync(key, (worker + n + 1) % ClusterFixture.Silos));
                }
            }
        }

        private async Task<Answer> SubmitAsync(string key, int silo)
        {
            var answer = await world.SubmitAsync(silo, Amount, key);
            var state = answer is { } a && a.Body.ValueKind == System.Text.Json.JsonValueKind.Object && a.Body.TryGetProperty("state", out var s) ? s.GetString() : null;
            Interlocked.Increment(ref _answered);
            if (state is "allocated" or "rejected")
            {
                Interlocked.Increment(ref _decided);
            }

            return new Answer((int)(answer?.Status ?? 0), state);
        }
    }
}
