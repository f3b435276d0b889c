using System.Collections.Concurrent;
using System.Text.Json;
using Broker.DataCenters;
using Broker.Grains.DataCenters;
using Broker.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Broker.Tests.Drain;

/// <summary>
/// A busy data center drained while new requests arrive and old ones are released: every move is make-before-break —
/// at the moment the drained data center lets an allocation go, the request's new allocation is stored elsewhere — no
/// pool is ever above what it may give, and at rest every allocated request is held exactly where it says (one row per
/// place, with its amounts), nothing else is held, and the drain's count is the number of requests that show a move.
/// A broker of its own that looks at every release of a moved allocation at the drained data center.
/// </summary>
public sealed class DrainConcurrencyTests : IAsyncLifetime
{
    private const int Before = 120;
    private const int During = 120;
    private const long Capacity = 4_000;

    private readonly MakeBeforeBreak _check = new();
    private readonly BrokerFixture _broker;

    public DrainConcurrencyTests() => _broker = new BrokerFixture
    {
        ExtraSettings = ["--Broker:Drain:PassInterval", "00:00:00.1", "--Broker:Drain:MaxMovesInFlight", "4"],
        ExtraServices = services => services.AddSingleton<IIncomingGrainCallFilter>(_check),
    };

    public Task InitializeAsync() => _broker.InitializeAsync();

    public Task DisposeAsync() => _broker.DisposeAsync();

    [Fact]
    public async Task DrainUnderConcurrentRequests_EveryMoveMakeBeforeBreak_NoOvercommit_NothingLostOrDoubled()
    {
        var world = await _broker.CreateWorldAsync(w =>
        {
            var home = w.Member("home", "DE-HH")
                .DataCenter("a", "DE-HH", ProtectionLevel.Normal, Pool("storage.ssd", Capacity, 0.0001m))
                .DataCenter("b", "DE-HH", ProtectionLevel.Normal, Pool("storage.ssd", 0, 0.0001m))
                .DataCenter("c", "DE-HH", ProtectionLevel.Normal, Pool("storage.ssd", 0, 0.0001m));
            w.Tenant("t1", home);
            w.Tenant("t2", home);
        });
        string[] dataCenters = [world.Id("a"), world.Id("b"), world.Id("c")];
        _check.Watch(world.Id("a"), dataCenters, _broker.Services.GetRequiredService<IRowStore>());
        var random = new Random(14);
        var amounts = Enumerable.Range(0, Before + During).Select(_ => (long)random.Next(1, 30)).ToArray();
        var first = await Task.WhenAll(Enumerable.Range(0, Before).Select(i => world.RequestAsync(Tenant(i), world.Body("storage.ssd", amounts[i]))));
        Assert.All(first, r => Assert.Equal([world.Id("a")], r.Body.DataCenters()));
        foreach (var dc in new[] { "b", "c" })
        {
            using var grown = await world.Admin("home").PutAsync($"/v1/datacenters/{world.Id(dc)}/pools/{world.Resource("storage.ssd")}", Json.Content(new { total = Capacity / 2 }));
            Assert.Equal(HttpStatusCode.OK, grown.StatusCode);
        }

        // The drain starts, and while it moves: new requests, releases of old ones, and every pool sampled.
        using var started = await world.Admin("home").PostAsync($"/v1/datacenters/{world.Id("a")}/drain", Json.Content(new { reason = "load" }));
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var sampling = new CancellationTokenSource();
        var samples = SampleAsync(world, dataCenters, sampling.Token);
        var arriving = Task.WhenAll(Enumerable.Range(Before, During).Select(i => world.RequestAsync(Tenant(i), world.Body("storage.ssd", amounts[i]))));
        var releasing = Task.WhenAll(first.Select((r, i) => (Id: Id(r.Body), Tenant: Tenant(i))).Where((_, i) => i % 4 == 0)
            .Select(async r => (await world.Tenant(r.Tenant).DeleteAsync($"/v1/requests/{r.Id}")).StatusCode));
        var later = await arriving;
        Assert.All(await releasing, status => Assert.Equal(HttpStatusCode.OK, status));
        var drained = await Eventually.ReturnsAsync(
            async () => await Json.ReadAsync(await world.Admin("home").GetAsync($"/v1/datacenters/{world.Id("a")}/drain")),
            d => d.GetProperty("state").GetString() == "drained",
            "nothing movable left at A");
        await sampling.CancelAsync();
        var overcommits = await samples;

        Assert.Empty(_check.Violations);
        Assert.Empty(overcommits);
        Assert.Equal(0L, drained.GetProperty("remaining").GetInt64());
        Assert.Equal(0L, (await world.PoolAsync("a", "storage.ssd")).Allocated);
        Assert.True(_check.Releases > 0, "no move released anything at A: the test proves nothing");

        // At rest: each request as it reads now, against the rows each data center stores.
        var now = new List<JsonElement>();
        foreach (var (request, i) in first.Concat(later).Select((r, i) => (r.Body, i)))
        {
            now.Add((await world.GetAsync(Tenant(i), Id(request))).Body);
        }

        var stored = await StoredAllocationsAsync(dataCenters);
        var expected = now.Where(r => r.State() == "allocated")
            .SelectMany(r => r.GetProperty("allocation").GetProperty("parts").EnumerateArray().Select(p => (Request: r.GetProperty("id").GetString()!, DataCenter: p.GetProperty("dataCenter").GetString()!, Amount: p.GetProperty("amount").GetInt64())))
            .OrderBy(x => x.Request, StringComparer.Ordinal).ThenBy(x => x.DataCenter, StringComparer.Ordinal)
            .ToArray();
        Assert.Equal(expected, stored);
        Assert.All(now, r => Assert.Contains(r.State(), new[] { "allocated", "released", "rejected" }));
        Assert.Equal(now.Count(r => r.GetProperty("moves").GetArrayLength() > 0), drained.GetProperty("moved").GetInt64());
        // Those held at A when the drain began and still allocated moved once, from A; those that came later never were at A.
        Assert.All(now.Take(Before).Where(r => r.State() == "allocated"), r => Assert.Equal(world.Id("a"), Assert.Single(r.GetProperty("moves").EnumerateArray()).GetProperty("from").GetString()));
        Assert.All(now.Skip(Before), r => Assert.Equal(0, r.GetProperty("moves").GetArrayLength()));
        foreach (var dc in new[] { "a", "b", "c" })
        {
            var pool = await world.PoolAsync(dc, "storage.ssd");
            Assert.Equal(stored.Where(s => s.DataCenter == world.Id(dc)).Sum(s => s.Amount), pool.Allocated);
        }

        string Tenant(int i) => i % 2 == 0 ? "t1" : "t2";
        static string Id(JsonElement request) => request.GetProperty("id").GetString()!;
    }

    /// <summary>Each data center's stored allocation rows, as (request, data center, amount).</summary>
    private async Task<(string Request, string DataCenter, long Amount)[]> StoredAllocationsAsync(string[] dataCenters)
    {
        var rows = _broker.Services.GetRequiredService<IRowStore>();
        var serializer = _broker.Services.GetRequiredService<Serializer>();
        var found = new List<(string, string, long)>();
        foreach (var dc in dataCenters)
        {
            foreach (var row in await rows.ReadOwnerAsync(DataCenterRows.AllocationTable, dc))
            {
                var allocation = serializer.Deserialize<StoredAllocation>(row.Payload)!;
                found.AddRange(allocation.Items.Select(item => (row.Key.Key, dc, item.Amount)));
            }
        }

        return found.OrderBy(x => x.Item1, StringComparer.Ordinal).ThenBy(x => x.Item2, StringComparer.Ordinal).ToArray();
    }

    /// <summary>Every pool's exact count from its owner, again and again until cancelled; what exceeded its capacity.</summary>
    private async Task<List<string>> SampleAsync(World world, string[] dataCenters, CancellationToken stop)
    {
        var overcommits = new List<string>();
        while (!stop.IsCancellationRequested)
        {
            foreach (var dc in dataCenters)
            {
                var summary = await _broker.Grains.GetGrain<IDataCenterGrain>(dc).GetCapacityAsync();
                var pool = summary!.Pool(world.Resource("storage.ssd"))!;
                if (pool.Allocated + pool.Held + pool.Headroom > pool.Capacity)
                {
                    overcommits.Add($"{dc}: {pool.Allocated} allocated + {pool.Held} held > {pool.Capacity}");
                }
            }

            await Task.Yield();
        }

        return overcommits;
    }

    /// <summary>
    /// At each release of a moved allocation at the drained data center, before it happens: the request's allocation
    /// must be stored at another data center already. A break-before-make move would be seen here with no row anywhere.
    /// </summary>
    private sealed class MakeBeforeBreak : IIncomingGrainCallFilter
    {
        private readonly ConcurrentQueue<string> _violations = new();
        private string? _drained;
        private string[] _dataCenters = [];
        private IRowStore? _rows;
        private int _releases;

        public IReadOnlyCollection<string> Violations => _violations;

        public int Releases => _releases;

        public void Watch(string drained, string[] dataCenters, IRowStore rows) => (_drained, _dataCenters, _rows) = (drained, dataCenters, rows);

        public async Task Invoke(IIncomingGrainCallContext context)
        {
            if (_rows is not null && context.Grain is IDataCenterGrain && context.MethodName == nameof(IDataCenterGrain.ReleaseMovedAsync)
                && context.TargetId.Key.ToString() == _drained)
            {
                var request = (string)context.Request.GetArgument(0)!;
                Interlocked.Increment(ref _releases);
                var elsewhere = 0;
                foreach (var dc in _dataCenters.Where(dc => dc != _drained))
                {
                    elsewhere += await _rows.ReadAsync(new RowKey(DataCenterRows.AllocationTable, dc, request)) is null ? 0 : 1;
                }

                if (elsewhere == 0)
                {
                    _violations.Enqueue($"{request} was released at {_drained} with no allocation stored elsewhere");
                }
            }

            await context.Invoke();
        }
    }
}
