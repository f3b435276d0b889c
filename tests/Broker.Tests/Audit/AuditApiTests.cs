using System.Text.Json;
using Broker.Silo.Auth;

namespace Broker.Tests.Audit;

/// <summary>
/// The audit trail over the real API: every decision, renewal, release, expiry and admin change is listed with
/// who, what, when and outcome; each reader sees only what is theirs; the chains verify, and an anchor that does
/// not match is reported.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class AuditApiTests(BrokerFixture broker)
{
    [Fact]
    public async Task RequestLife_DecisionRenewalAndRelease_AreListedNewestFirstWithWhoAndOutcome()
    {
        var world = await OneProviderWorldAsync("a");
        var (_, request) = await world.RequestAsync("a", world.Body("storage.ssd", 400));
        var id = request.GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await world.Tenant("a").PostAsync($"/v1/requests/{id}/renew", Json.Content(new { lease = "P2D" }))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await world.Tenant("a").DeleteAsync($"/v1/requests/{id}")).StatusCode);

        var entries = await ListAsync(broker.Client(broker.FederationAdminToken), $"subject={id}");

        Assert.Equal(["request.released", "request.renewed", "request.decided"], entries.Select(e => e.Str("action")));
        Assert.Equal(["released", "renewed", "allocated"], entries.Select(e => e.Str("outcome")));
        Assert.All(entries, e =>
        {
            Assert.Equal($"tenant:{world.Id("a")}", e.Str("actor"));
            Assert.Equal(Callers.StaticToken(world.Token("a")), e.Str("credential"));
            Assert.Equal(world.Id("a"), e.Str("tenant"));
            Assert.Equal(world.Id("home"), e.Str("provider"));
            Assert.Equal(64, e.Str("hash").Length);
        });
        Assert.Contains($"400 {world.Resource("storage.ssd")} at {world.Id("dc")}", entries[^1].Str("detail"), StringComparison.Ordinal);
        // One subject, one chain, in order: later entries have later sequence numbers and are recorded no earlier.
        Assert.Single(entries.Select(e => e.GetProperty("chain").GetInt32()).Distinct());
        Assert.True(entries[0].GetProperty("sequence").GetInt64() > entries[1].GetProperty("sequence").GetInt64());
        Assert.True(entries[1].GetProperty("sequence").GetInt64() > entries[2].GetProperty("sequence").GetInt64());
        Assert.True(entries[0].GetProperty("at").GetDateTimeOffset() >= entries[2].GetProperty("at").GetDateTimeOffset());
    }

    [Fact]
    public async Task Rejection_And_Expiry_AreRecorded_TheExpiryByTheBroker()
    {
        var world = await OneProviderWorldAsync("a");
        var (_, rejected) = await world.RequestAsync("a", world.Body("storage.ssd", 5_000));
        var (_, leased) = await world.RequestAsync("a", world.Body("storage.ssd", 10, lease: "PT1H"));
        broker.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal("expired", (await world.GetAsync("a", leased.GetProperty("id").GetString()!)).Body.State());

        var admin = broker.Client(broker.FederationAdminToken);
        var rejection = Assert.Single(await ListAsync(admin, $"subject={rejected.GetProperty("id").GetString()}"));
        var expiry = (await ListAsync(admin, $"subject={leased.GetProperty("id").GetString()}&action=request.expired")).Single();

        Assert.Equal(("request.decided", "rejected:no-capacity"), (rejection.Str("action"), rejection.Str("outcome")));
        Assert.Equal(("broker", "expired"), (expiry.Str("actor"), expiry.Str("outcome")));
        Assert.Equal(JsonValueKind.Null, expiry.GetProperty("credential").ValueKind);
    }

    [Fact]
    public async Task AdminChanges_PoolChangesAndUpserts_RecordTheAdminAndTheOutcome()
    {
        var world = await OneProviderWorldAsync("a");
        await world.RequestAsync("a", world.Body("storage.ssd", 300));
        var pool = $"/v1/datacenters/{world.Id("dc")}/pools/{world.Resource("storage.ssd")}";
        Assert.Equal(HttpStatusCode.OK, (await world.Admin("home").PutAsync(pool, Json.Content(new { total = 2_000 }))).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await world.Admin("home").PutAsync(pool, Json.Content(new { total = 100 }))).StatusCode);

        var admin = broker.Client(broker.FederationAdminToken);
        var changes = await ListAsync(admin, $"action=pool.changed&provider={world.Id("home")}");
        var upserts = await ListAsync(admin, "action=federation.upserted&limit=1000");

        Assert.Equal(["refused:capacity-in-use", "updated"], changes.Select(c => c.Str("outcome")));
        Assert.All(changes, c =>
        {
            Assert.Equal($"provider-admin:{world.Id("home")}", c.Str("actor"));
            Assert.Equal(Callers.StaticToken(world.AdminToken("home")), c.Str("credential"));
            Assert.Equal($"{world.Id("dc")}/{world.Resource("storage.ssd")}", c.Str("subject"));
            Assert.Equal(JsonValueKind.Null, c.GetProperty("tenant").ValueKind);
        });
        Assert.Equal("total 100, headroom unchanged, price unchanged/unit-hour; 300 units allocated or held", changes[0].Str("detail"));
        var upsert = Assert.Single(upserts, u => u.Str("detail").Contains(world.Id("home"), StringComparison.Ordinal));
        Assert.Equal(("federation-admin", Callers.StaticToken(broker.FederationAdminToken)), (upsert.Str("actor"), upsert.Str("credential")));
    }

    [Fact]
    public async Task Readers_SeeOnlyTheirOwn_AndMayNotAskForOthers()
    {
        var world = await broker.CreateWorldAsync(w =>
        {
            var home = w.Member("home", "DE-HH").DataCenter("dc", "DE-HH", ProtectionLevel.Normal, Pool("storage.ssd", 1_000, 0.0001m));
            var other = w.Member("other", "DE-BY").DataCenter("odc", "DE-BY", ProtectionLevel.Normal, Pool("storage.ssd", 1_000, 0.0001m));
            w.Tenant("a", home);
            w.Tenant("b", home);
        });
        await world.RequestAsync("a", world.Body("storage.ssd", 10));
        await world.RequestAsync("b", world.Body("storage.ssd", 20));
        await world.Admin("home").PutAsync($"/v1/datacenters/{world.Id("dc")}/pools/{world.Resource("storage.ssd")}", Json.Content(new { total = 1_500 }));
        await world.Admin("other").PutAsync($"/v1/datacenters/{world.Id("odc")}/pools/{world.Resource("storage.ssd")}", Json.Content(new { total = 1_500 }));

        var ofA = await ListAsync(world.Tenant("a"), "limit=1000");
        var ofHome = await ListAsync(world.Admin("home"), "limit=1000");

        Assert.Equal(["request.decided"], ofA.Select(e => e.Str("action")));
        Assert.Equal(world.Id("a"), ofA[0].Str("tenant"));
        var change = Assert.Single(ofHome, e => e.Str("subject").StartsWith(world.Id("dc") + "/", StringComparison.Ordinal));
        Assert.Equal("updated", change.Str("outcome"));
        Assert.All(ofHome, e => Assert.Equal((world.Id("home"), JsonValueKind.Null), (e.Str("provider"), e.GetProperty("tenant").ValueKind)));
        Assert.Equal(HttpStatusCode.Forbidden, (await world.Tenant("a").GetAsync($"/v1/audit?tenant={world.Id("b")}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await world.Admin("home").GetAsync($"/v1/audit?provider={world.Id("other")}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await world.Admin("home").GetAsync($"/v1/audit?tenant={world.Id("a")}")).StatusCode);
    }

    [Fact]
    public async Task Pages_FollowTheCursor_EveryEntryExactlyOnce()
    {
        var world = await OneProviderWorldAsync("a");
        for (var i = 0; i < 7; i++)
        {
            await world.RequestAsync("a", world.Body("storage.ssd", 1));
        }

        var all = await ListAsync(world.Tenant("a"), "limit=1000");
        var paged = new List<JsonElement>();
        string? next = null;
        do
        {
            var page = await Json.ReadAsync(await world.Tenant("a").GetAsync("/v1/audit?limit=3" + (next is null ? "" : $"&after={next}")));
            paged.AddRange(page.GetProperty("items").EnumerateArray());
            next = page.GetProperty("next").ValueKind == JsonValueKind.Null ? null : page.GetProperty("next").GetString();
        }
        while (next is not null);

        Assert.Equal(7, all.Length);
        Assert.Equal(all.Select(e => e.Str("hash")), paged.Select(e => e.Str("hash")));
    }

    [Theory]
    [InlineData("action=request.bought", "action")]
    [InlineData("limit=0", "limit")]
    [InlineData("after=12.3", "after")]
    [InlineData("from=last-week", "from")]
    [InlineData("to=2026-02-30", "to")]
    public async Task BadFilter_400NamingIt(string query, string field)
    {
        using var response = await broker.Client(broker.FederationAdminToken).GetAsync("/v1/audit?" + query);
        var problem = await Json.ReadAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid-request", problem.Code());
        Assert.Equal([field], problem.GetProperty("errors").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Verify_ChainsHold_AndAnAnchorThatDoesNotMatchIsReported()
    {
        var world = await OneProviderWorldAsync("a");
        var (_, request) = await world.RequestAsync("a", world.Body("storage.ssd", 5));
        var entry = (await ListAsync(broker.Client(broker.FederationAdminToken), $"subject={request.GetProperty("id").GetString()}")).Single();
        var admin = broker.Client(broker.FederationAdminToken);
        var (chain, sequence) = (entry.GetProperty("chain").GetInt32(), entry.GetProperty("sequence").GetInt64());

        var plain = await Json.ReadAsync(await admin.GetAsync("/v1/audit/verify"));
        var anchored = await Json.ReadAsync(await admin.GetAsync($"/v1/audit/verify?anchor={chain}:{sequence}:{entry.Str("hash")}"));
        var wrong = await Json.ReadAsync(await admin.GetAsync($"/v1/audit/verify?anchor={chain}:{sequence}:{new string('a', 64)}"));

        Assert.True(plain.GetProperty("valid").GetBoolean(), plain.ToString());
        Assert.Equal(16, plain.GetProperty("chains").GetArrayLength());
        Assert.True(plain.GetProperty("entries").GetInt64() >= 1);
        Assert.True(anchored.GetProperty("valid").GetBoolean(), anchored.ToString());
        Assert.False(wrong.GetProperty("valid").GetBoolean());
        var broken = wrong.GetProperty("chains")[chain].GetProperty("break");
        Assert.Equal(("anchor-mismatch", sequence), (broken.Str("reason"), broken.GetProperty("sequence").GetInt64()));
        Assert.Equal(1, wrong.GetProperty("chains").EnumerateArray().Count(c => !c.GetProperty("valid").GetBoolean()));
    }

    private Task<World> OneProviderWorldAsync(string tenant) => broker.CreateWorldAsync(w =>
    {
        var home = w.Member("home", "DE-HH").DataCenter("dc", "DE-HH", ProtectionLevel.Normal, Pool("storage.ssd", 1_000, 0.0001m));
        w.Tenant(tenant, home);
    });

    private static async Task<JsonElement[]> ListAsync(HttpClient client, string query)
    {
        using var response = await client.GetAsync("/v1/audit?" + query);
        var body = await Json.ReadAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET /v1/audit?{query}: {(int)response.StatusCode} {body}");
        return body.GetProperty("items").EnumerateArray().ToArray();
    }
}

internal static class AuditAnswers
{
    public static string Str(this JsonElement element, string property) => element.GetProperty(property).GetString()!;
}
