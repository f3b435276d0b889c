namespace Broker.Tests.Requests;

/// <summary>
/// A reused Idempotency-Key is a conflict when any field of the body differs, whichever field it is; only a body
/// that means the same request (items or providers in another order, the same number written otherwise) is a retry.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class IdempotencyFieldTests(BrokerFixture broker)
{
    /// <summary>Every field of a request body, each changed alone from the first body.</summary>
    public static TheoryData<string> Changes => new(Change.Keys);

    private static readonly Dictionary<string, Action<Body>> Change = new()
    {
        ["item amount"] = b => b.Items[0]["amount"] = 101L,
        ["item added"] = b => b.Items.Add(new() { ["resource"] = b.World.Resource("compute.vcpu"), ["amount"] = 1L }),
        ["item removed"] = b => b.Items.RemoveAt(1),
        ["item resource"] = b => b.Items[1]["resource"] = b.World.Resource("compute.vcpu"),
        ["protection level"] = b => b.Constraints["protectionLevel"] = "high",
        ["residency"] = b => b.Constraints["residency"] = "DE-HH",
        ["providers allow"] = b => b.Allow.RemoveAt(1),
        ["providers deny"] = b => b.Deny.Clear(),
        ["members only"] = b => b.Constraints["membersOnly"] = true,
        ["max hourly cost"] = b => b.Constraints["maxHourlyCost"] = 11m,
        ["max hourly cost dropped"] = b => b.Constraints.Remove("maxHourlyCost"),
        ["lease"] = b => b.Root["lease"] = "PT3H",
        ["priority"] = b => b.Root["priority"] = "high",
        ["splittable"] = b => b.Root["splittable"] = true,
    };

    [Theory]
    [MemberData(nameof(Changes))]
    public async Task ReusedKey_BodyDiffersInOneField_409AndTheFirstRequestStandsAlone(string field)
    {
        var world = await CreateWorldAsync();
        var key = Guid.NewGuid().ToString();
        var (firstStatus, first) = await world.RequestAsync("t", new Body(world).Root, key);
        Assert.Equal((HttpStatusCode.Created, "allocated"), (firstStatus, first.State()));

        var changed = new Body(world);
        Change[field](changed);
        var (status, problem) = await world.RequestAsync("t", changed.Root, key);

        Assert.True(status == HttpStatusCode.Conflict, $"{field}: answered {(int)status}: {problem}");
        Assert.Equal("idempotency-key-reused", problem.Code());
        Assert.Equal((100L, 50L, 0L), (await AllocatedAsync(world, "storage.ssd"), await AllocatedAsync(world, "storage.hdd"), await AllocatedAsync(world, "compute.vcpu")));
        Assert.Equal([first.GetProperty("id").GetString()!], await RequestIdsAsync(world));
    }

    /// <summary>Ways of writing the same request: a retry of any of them is answered with the first request.</summary>
    public static TheoryData<string> Rewrites => new(Rewrite.Keys);

    private static readonly Dictionary<string, Action<Body>> Rewrite = new()
    {
        ["items reordered"] = b => b.Items.Reverse(),
        ["providers reordered"] = b => b.Allow.Reverse(),
        ["max hourly cost with trailing zeros"] = b => b.Constraints["maxHourlyCost"] = 10.00m,
        ["defaults left out"] = b =>
        {
            b.Constraints.Remove("protectionLevel");
            b.Constraints.Remove("residency");
            b.Constraints.Remove("membersOnly");
            b.Root.Remove("priority");
            b.Root.Remove("splittable");
        },
    };

    [Theory]
    [MemberData(nameof(Rewrites))]
    public async Task ReusedKey_SameRequestWrittenOtherwise_200TheFirstRequest(string rewrite)
    {
        var world = await CreateWorldAsync();
        var key = Guid.NewGuid().ToString();
        var (_, first) = await world.RequestAsync("t", new Body(world).Root, key);

        var rewritten = new Body(world);
        Rewrite[rewrite](rewritten);
        var (status, again) = await world.RequestAsync("t", rewritten.Root, key);

        Assert.True(status == HttpStatusCode.OK, $"{rewrite}: answered {(int)status}: {again}");
        Assert.Equal(first.GetProperty("id").GetString(), again.GetProperty("id").GetString());
        Assert.Equal(100, await AllocatedAsync(world, "storage.ssd"));
    }

    [Fact]
    public async Task SameKeyConcurrently_TwoDifferentBodies_ExactlyOneRequestTheOtherBody409()
    {
        var world = await CreateWorldAsync();
        var key = Guid.NewGuid().ToString();
        var smaller = new Body(world);
        smaller.Items[0]["amount"] = 10L;

        // Ten of each body at once: whichever arrives first is the request; every call with the other body is a reuse.
        var calls = Enumerable.Range(0, 20).Select(i => (Small: i % 2 == 0, Call: world.RequestAsync("t", i % 2 == 0 ? smaller.Root : new Body(world).Root, key))).ToArray();
        await Task.WhenAll(calls.Select(c => c.Call));
        var answers = calls.Select(c => (c.Small, c.Call.Result.Status, c.Call.Result.Body)).ToArray();

        var winner = answers.Where(a => a.Status is HttpStatusCode.Created or HttpStatusCode.OK).Select(a => a.Small).Distinct().ToArray();
        var winnerIsSmall = Assert.Single(winner);
        Assert.All(answers.Where(a => a.Small == winnerIsSmall), a => Assert.Contains(a.Status, new[] { HttpStatusCode.Created, HttpStatusCode.OK }));
        Assert.Equal(1, answers.Count(a => a.Status == HttpStatusCode.Created));
        Assert.All(answers.Where(a => a.Small != winnerIsSmall), a =>
        {
            Assert.Equal(HttpStatusCode.Conflict, a.Status);
            Assert.Equal("idempotency-key-reused", a.Body.Code());
        });
        Assert.Equal([answers.First(a => a.Small == winnerIsSmall).Body.GetProperty("id").GetString()!], await RequestIdsAsync(world));
        Assert.Equal(winnerIsSmall ? 10 : 100, await AllocatedAsync(world, "storage.ssd"));
    }

    private static async Task<long> AllocatedAsync(World world, string resourceClass) => (await world.PoolAsync("dc", resourceClass)).Allocated;

    private static async Task<string[]> RequestIdsAsync(World world)
    {
        using var response = await world.Tenant("t").GetAsync("/v1/requests");
        return (await Json.ReadAsync(response)).GetProperty("items").EnumerateArray().Select(r => r.GetProperty("id").GetString()!).ToArray();
    }

    private Task<World> CreateWorldAsync() => broker.CreateWorldAsync(w =>
    {
        var home = w.Member("home", "DE-HH").DataCenter(
            "dc", "DE-HH", ProtectionLevel.High, Pool("storage.ssd", 10_000, 0.0001m), Pool("storage.hdd", 10_000, 0.0001m), Pool("compute.vcpu", 100, 0.01m));
        w.Member("other", "DE-HH");
        w.Tenant("t", home);
    });

    /// <summary>The first body, with every field set, as mutable parts a case can change.</summary>
    private sealed class Body
    {
        public Body(World world)
        {
            World = world;
            Items =
            [
                new() { ["resource"] = world.Resource("storage.ssd"), ["amount"] = 100L },
                new() { ["resource"] = world.Resource("storage.hdd"), ["amount"] = 50L },
            ];
            Allow = [world.Id("home"), world.Id("other")];
            Deny = [world.Id("nobody")];
            Constraints = new()
            {
                ["protectionLevel"] = "normal",
                ["residency"] = "DE",
                ["providers"] = new Dictionary<string, object?> { ["allow"] = Allow, ["deny"] = Deny },
                ["membersOnly"] = false,
                ["maxHourlyCost"] = 10m,
            };
            Root = new() { ["items"] = Items, ["constraints"] = Constraints, ["lease"] = "PT2H", ["priority"] = "normal", ["splittable"] = false };
        }

        public World World { get; }

        public List<Dictionary<string, object?>> Items { get; }

        public List<string> Allow { get; }

        public List<string> Deny { get; }

        public Dictionary<string, object?> Constraints { get; }

        public Dictionary<string, object?> Root { get; }
    }
}
