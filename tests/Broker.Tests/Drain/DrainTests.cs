using System.Text.Json;

namespace Broker.Tests.Drain;

/// <summary>
/// A data center drained through the API: it takes nothing new, every allocation moves elsewhere make-before-break
/// under its request's own constraints — same id, same lease end, the move shown, the bill split at the move, one audit
/// entry per move — and what has no room elsewhere is listed as stuck with its reason and moves once room frees up.
/// A broker of its own whose drains pass every 0.1 s.
/// </summary>
public sealed class DrainTests() : OwnBroker("--Broker:Drain:PassInterval", "00:00:00.1")
{
    private const decimal PriceAtA = 0.0001m;
    private const decimal PriceAtB = 0.0002m;

    [Fact]
    public async Task Drain_EveryAllocationMovesElsewhere_IdAndLeaseEndKept_MoveShown_BillSplitAtTheMove_OneAuditEntryPerMove()
    {
        var world = await TwoDataCentersAsync(bTotal: 0);
        var decided = Broker.Clock.GetUtcNow();
        var requests = new List<JsonElement>();
        for (var i = 0; i < 5; i++)
        {
            requests.Add((await world.RequestAsync("t", world.Body("storage.ssd", 100, lease: "P10D"))).Body);
        }

        Assert.All(requests, r => Assert.Equal([world.Id("a")], r.DataCenters()));
        await GrowBAsync(world, 1_000);
        Broker.Clock.Advance(TimeSpan.FromHours(2));
        var movedAt = Broker.Clock.GetUtcNow();

        using var first = await world.Admin("home").PostAsync(DrainPath(world), Json.Content(new { reason = "maintenance" }));
        using var again = await world.Admin("home").PostAsync(DrainPath(world), Json.Content(new { reason = "maintenance" }));
        var hddWhileDraining = (await world.RequestAsync("t", world.Body("storage.hdd", 10))).Body;
        var drained = await DrainedAsync(world, remaining: 0);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(DrainPath(world), first.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(("maintenance", movedAt, 5L, 0), (drained.GetProperty("reason").GetString(), drained.GetProperty("startedAt").GetDateTimeOffset(), drained.GetProperty("moved").GetInt64(), drained.GetProperty("stuck").GetArrayLength()));
        Assert.Equal(("rejected", "no-capacity"), (hddWhileDraining.State(), hddWhileDraining.ReasonCode()));
        foreach (var before in requests)
        {
            var (_, now) = await world.GetAsync("t", before.GetProperty("id").GetString()!);
            var part = Assert.Single(now.GetProperty("allocation").GetProperty("parts").EnumerateArray());
            var move = Assert.Single(now.GetProperty("moves").EnumerateArray());
            Assert.Equal("allocated", now.State());
            Assert.Equal(before.GetProperty("leaseExpiresAt").GetDateTimeOffset(), now.GetProperty("leaseExpiresAt").GetDateTimeOffset());
            Assert.Equal((world.Id("b"), 100L, PriceAtB), (part.GetProperty("dataCenter").GetString(), part.GetProperty("amount").GetInt64(), part.GetProperty("pricePerUnitHour").GetDecimal()));
            Assert.Equal((movedAt, world.Id("a"), world.Id("b")), (move.GetProperty("at").GetDateTimeOffset(), move.GetProperty("from").GetString(), move.GetProperty("to").GetString()));
        }

        Assert.Equal((0L, 500L), ((await world.PoolAsync("a", "storage.ssd")).Allocated, (await world.PoolAsync("b", "storage.ssd")).Allocated));

        // An hour at the new place, then every request released: each is charged at A up to the move and at B from it —
        // also on the bill while it still runs there (its part at B accrued from the move, not from the decision).
        Broker.Clock.Advance(TimeSpan.FromHours(1));
        var running = await Json.ReadAsync(await world.Tenant("t").GetAsync($"/v1/billing/tenants/{world.Id("t")}?period=2026-11"));
        var runningLines = running.GetProperty("requests").EnumerateArray().ToDictionary(l => l.GetProperty("requestId").GetString()!);
        foreach (var request in requests)
        {
            var entries = runningLines[request.GetProperty("id").GetString()!].GetProperty("entries").EnumerateArray()
                .Select(e => (e.GetProperty("dataCenter").GetString(), e.GetProperty("from").GetDateTimeOffset(), e.GetProperty("to").GetDateTimeOffset(), e.GetProperty("cost").GetDecimal(), e.GetProperty("running").GetBoolean()))
                .OrderBy(e => e.Item2)
                .ToArray();
            Assert.Equal([(world.Id("a"), decided, movedAt, 100 * PriceAtA * 2, false), (world.Id("b"), movedAt, movedAt.AddHours(1), 100 * PriceAtB * 1, true)], entries);
        }

        Assert.Equal(5 * ((100 * PriceAtA * 2) + (100 * PriceAtB)), running.GetProperty("total").GetDecimal());
        foreach (var request in requests)
        {
            Assert.Equal(HttpStatusCode.OK, (await world.Tenant("t").DeleteAsync($"/v1/requests/{request.GetProperty("id").GetString()}")).StatusCode);
        }

        var bill = await Json.ReadAsync(await world.Tenant("t").GetAsync($"/v1/billing/tenants/{world.Id("t")}?period=2026-11"));
        var lines = bill.GetProperty("requests").EnumerateArray().ToDictionary(l => l.GetProperty("requestId").GetString()!);
        foreach (var request in requests)
        {
            var entries = lines[request.GetProperty("id").GetString()!].GetProperty("entries").EnumerateArray()
                .Select(e => (e.GetProperty("dataCenter").GetString(), e.GetProperty("from").GetDateTimeOffset(), e.GetProperty("to").GetDateTimeOffset(), e.GetProperty("cost").GetDecimal()))
                .OrderBy(e => e.Item2)
                .ToArray();
            Assert.Equal([(world.Id("a"), decided, movedAt, 100 * PriceAtA * 2), (world.Id("b"), movedAt, movedAt.AddHours(1), 100 * PriceAtB * 1)], entries);
        }

        Assert.Equal(5 * ((100 * PriceAtA * 2) + (100 * PriceAtB)), bill.GetProperty("total").GetDecimal());
        var audited = await Json.ReadAsync(await Broker.Client(Broker.FederationAdminToken).GetAsync($"/v1/audit?subject={requests[0].GetProperty("id").GetString()}&action=request.moved"));
        var entry = Assert.Single(audited.GetProperty("items").EnumerateArray());
        Assert.Equal(("broker", "moved"), (entry.GetProperty("actor").GetString(), entry.GetProperty("outcome").GetString()));
        Assert.StartsWith($"from {world.Id("a")} to {world.Id("b")} (drain)", entry.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var drainAudit = await Json.ReadAsync(await Broker.Client(Broker.FederationAdminToken).GetAsync($"/v1/audit?subject={world.Id("a")}&action=drain.started"));
        Assert.Equal($"provider-admin:{world.Id("home")}", Assert.Single(drainAudit.GetProperty("items").EnumerateArray()).GetProperty("actor").GetString());

        // Ended: the data center takes allocations again.
        using var stopped = await world.Admin("home").DeleteAsync(DrainPath(world));
        var hddAfter = (await world.RequestAsync("t", world.Body("storage.hdd", 10))).Body;
        Assert.Equal(HttpStatusCode.OK, stopped.StatusCode);
        Assert.Equal("none", (await Json.ReadAsync(stopped)).GetProperty("state").GetString());
        Assert.Equal(("allocated", world.Id("a")), (hddAfter.State(), hddAfter.DataCenters().Single()));
    }

    [Fact]
    public async Task Drain_NoRoomWithinTheConstraints_StuckWithTheReason_MovesOnceRoomFreesUp_TheUnsatisfiableStays()
    {
        var world = await TwoDataCentersAsync(bTotal: 0);
        var roomLater = (await world.RequestAsync("t", world.Body("storage.ssd", 300))).Body.GetProperty("id").GetString()!;
        // Only A is accredited "high": no other place will ever meet this one's constraints.
        var nowhereElse = (await world.RequestAsync("t", world.Body("storage.ssd", 50, constraints: new { protectionLevel = "high" }))).Body.GetProperty("id").GetString()!;

        using var started = await world.Admin("home").PostAsync(DrainPath(world), Json.Content(new { reason = "power works" }));
        var stuck = await DrainedAsync(world, remaining: 2);
        await GrowBAsync(world, 1_000);
        var after = await Eventually.ReturnsAsync(() => DrainAsync(world), d => d.GetProperty("moved").GetInt64() == 1, "the part with room now moved");
        var reasons = stuck.GetProperty("stuck").EnumerateArray().ToDictionary(s => s.GetProperty("request").GetString()!, s => s.GetProperty("reason").GetString()!);

        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        Assert.Equal(0L, stuck.GetProperty("moved").GetInt64());
        Assert.StartsWith("no-capacity: ", reasons[roomLater], StringComparison.Ordinal);
        Assert.StartsWith("unsatisfiable: ", reasons[nowhereElse], StringComparison.Ordinal);
        Assert.Equal(("drained", 1L), (after.GetProperty("state").GetString(), after.GetProperty("remaining").GetInt64()));
        Assert.Equal([nowhereElse], after.GetProperty("stuck").EnumerateArray().Select(s => s.GetProperty("request").GetString()));
        Assert.Equal([world.Id("b")], (await world.GetAsync("t", roomLater)).Body.DataCenters());
        Assert.Equal([world.Id("a")], (await world.GetAsync("t", nowhereElse)).Body.DataCenters());
    }

    [Fact]
    public async Task DrainCalls_WhoMayAndWhatIsRefused_AProblemWithItsCode()
    {
        var world = await TwoDataCentersAsync(bTotal: 100);
        using var tenant = await world.Tenant("t").PostAsync(DrainPath(world), Json.Content(new { reason = "x" }));
        using var other = await world.Admin("other").GetAsync(DrainPath(world));
        using var unknown = await Broker.Client(Broker.FederationAdminToken).GetAsync($"/v1/datacenters/nowhere-{Guid.NewGuid():N}/drain");
        using var tooLong = await world.Admin("home").PostAsync(DrainPath(world), Json.Content(new { reason = new string('r', 201) }));
        using var unknownField = await world.Admin("home").PostAsync(DrainPath(world), Json.Content(new { reason = "x", force = true }));
        using var none = await Broker.Client(Broker.FederationAdminToken).GetAsync(DrainPath(world));
        using var stopNone = await world.Admin("home").DeleteAsync(DrainPath(world));

        Assert.Equal((HttpStatusCode.Forbidden, "forbidden"), (tenant.StatusCode, (await Json.ReadAsync(tenant)).Code()));
        Assert.Equal((HttpStatusCode.Forbidden, "forbidden"), (other.StatusCode, (await Json.ReadAsync(other)).Code()));
        Assert.Equal((HttpStatusCode.NotFound, "not-found"), (unknown.StatusCode, (await Json.ReadAsync(unknown)).Code()));
        var tooLongProblem = await Json.ReadAsync(tooLong);
        Assert.Equal((HttpStatusCode.BadRequest, "invalid-request", "reason"), (tooLong.StatusCode, tooLongProblem.Code(), string.Join(',', tooLongProblem.GetProperty("errors").EnumerateObject().Select(e => e.Name))));
        Assert.Equal((HttpStatusCode.BadRequest, "invalid-request"), (unknownField.StatusCode, (await Json.ReadAsync(unknownField)).Code()));
        var noDrain = await Json.ReadAsync(none);
        Assert.Equal((HttpStatusCode.OK, world.Id("a"), "none", 0L), (none.StatusCode, noDrain.GetProperty("dataCenter").GetString(), noDrain.GetProperty("state").GetString(), noDrain.GetProperty("remaining").GetInt64()));
        Assert.Equal((HttpStatusCode.OK, "none"), (stopNone.StatusCode, (await Json.ReadAsync(stopNone)).GetProperty("state").GetString()));
        // Nothing refused started a drain: A still takes allocations.
        Assert.Equal([world.Id("a")], (await world.RequestAsync("t", world.Body("storage.hdd", 1))).Body.DataCenters());
    }

    /// <summary>
    /// Provider "home" with data centers A (DE-HH, accredited high, storage.ssd and storage.hdd) and B (DE-HH, normal,
    /// storage.ssd of <paramref name="bTotal"/> units, dearer), tenant "t" at home; provider "other" with nothing for it.
    /// With B empty every request lands at A.
    /// </summary>
    private Task<World> TwoDataCentersAsync(long bTotal) => Broker.CreateWorldAsync(w =>
    {
        var home = w.Member("home", "DE-HH")
            .DataCenter("a", "DE-HH", ProtectionLevel.High, Pool("storage.ssd", 1_000, PriceAtA), Pool("storage.hdd", 100, 0.00001m))
            .DataCenter("b", "DE-HH", ProtectionLevel.Normal, Pool("storage.ssd", bTotal, PriceAtB));
        w.Member("other", "DE-BY");
        w.Tenant("t", home);
    });

    private static async Task GrowBAsync(World world, long total)
    {
        using var grown = await world.Admin("home").PutAsync($"/v1/datacenters/{world.Id("b")}/pools/{world.Resource("storage.ssd")}", Json.Content(new { total }));
        Assert.Equal(HttpStatusCode.OK, grown.StatusCode);
    }

    private static string DrainPath(World world) => $"/v1/datacenters/{world.Id("a")}/drain";

    private static async Task<JsonElement> DrainAsync(World world)
    {
        using var response = await world.Admin("home").GetAsync(DrainPath(world));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await Json.ReadAsync(response);
    }

    private static Task<JsonElement> DrainedAsync(World world, long remaining) => Eventually.ReturnsAsync(
        () => DrainAsync(world),
        d => d.GetProperty("state").GetString() == "drained" && d.GetProperty("remaining").GetInt64() == remaining,
        $"the drain has nothing movable left, {remaining} allocations remaining");
}
