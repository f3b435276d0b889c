using System.Text.Json;
using Broker.Cli;

namespace Broker.Tests.Client;

/// <summary>The <c>broker</c> command against a real broker: what scripts rely on (exit codes, JSON) and what people read.</summary>
[Collection(BrokerCollection.Name)]
public sealed class CliTests(BrokerFixture broker)
{
    [Fact]
    public async Task Request_AllocatedRejectedPending_ExitCodesScriptsCanRelyOn()
    {
        var world = await CreateWorldAsync();
        var ssd = world.Resource("storage.ssd");

        var allocated = await RunAsync(world.Token("a"), "request", $"{ssd}=400", "--lease", "PT6H", "--json");
        var rejected = await RunAsync(world.Token("a"), "request", $"{ssd}=99999", "--json");
        var pending = await RunAsync(world.Token("a"), "request", $"{ssd}=1", "--async", "--json");

        Assert.Equal((ExitCodes.Ok, "allocated"), (allocated.Code, allocated.Json.State()));
        Assert.Equal(400, allocated.Json.GetProperty("allocation").GetProperty("parts")[0].GetProperty("amount").GetInt64());
        Assert.Equal((ExitCodes.Rejected, "rejected", "no-capacity"), (rejected.Code, rejected.Json.State(), rejected.Json.ReasonCode()));
        Assert.Equal((ExitCodes.Pending, "negotiating"), (pending.Code, pending.Json.State()));
        Assert.Equal("", allocated.Error + rejected.Error + pending.Error);
        await Eventually.ReturnsAsync(() => world.PoolAsync("dc", "storage.ssd"), pool => pool.Allocated == 401, "the allocated and the pending request hold 401 units");
    }

    [Fact]
    public async Task ShowListRenewRelease_TheRequestsLifecycle()
    {
        var world = await CreateWorldAsync();
        var token = world.Token("a");
        var created = await RunAsync(token, "request", $"{world.Resource("storage.ssd")}=25", "--json");
        var id = created.Json.GetProperty("id").GetString()!;

        var shown = await RunAsync(token, "show", id, "--json");
        var listed = await RunAsync(token, "list", "--state", "allocated", "--json");
        var renewed = await RunAsync(token, "renew", id, "--lease", "P2D", "--json");
        var released = await RunAsync(token, "release", id, "--json");
        var table = await RunAsync(token, "list");

        Assert.Equal((ExitCodes.Ok, id), (shown.Code, shown.Json.GetProperty("id").GetString()));
        Assert.Equal([id], listed.Json.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("id").GetString()));
        Assert.Equal(broker.Clock.GetUtcNow() + TimeSpan.FromDays(2), renewed.Json.GetProperty("leaseExpiresAt").GetDateTimeOffset());
        Assert.Equal((ExitCodes.Ok, "released"), (released.Code, released.Json.State()));
        Assert.Equal(0, (await world.PoolAsync("dc", "storage.ssd")).Allocated);
        Assert.Contains(id, table.Output);
        Assert.Contains("released", table.Output);
    }

    [Fact]
    public async Task CatalogCapacityBill_TablesForPeople()
    {
        var world = await CreateWorldAsync();
        var ssd = world.Resource("storage.ssd");

        var catalog = await RunAsync(world.Token("a"), "catalog", "--resource", ssd);
        var capacity = await RunAsync(broker.FederationAdminToken, "capacity", "--provider", world.Id("home"), "--json");
        var bill = await RunAsync(world.Token("a"), "bill", "--tenant", world.Id("a"), "--json");
        var statement = await RunAsync(world.AdminToken("home"), "bill", "--provider", world.Id("home"));

        Assert.Equal(ExitCodes.Ok, catalog.Code);
        Assert.Contains(world.Id("dc"), catalog.Output);
        Assert.Contains("10,000", catalog.Output);
        Assert.Equal(world.Id("dc"), capacity.Json.GetProperty("providers")[0].GetProperty("dataCenters")[0].GetProperty("id").GetString());
        Assert.Equal((ExitCodes.Ok, world.Id("a")), (bill.Code, bill.Json.GetProperty("tenant").GetString()));
        Assert.Equal(ExitCodes.Ok, statement.Code);
        Assert.Contains($"{world.Id("home")}, ", statement.Output);
    }

    [Fact]
    public async Task Mistakes_ClearMessageOnStderrAndDistinctExitCodes()
    {
        var world = await CreateWorldAsync();
        var ssd = world.Resource("storage.ssd");

        var invalid = await RunAsync(world.Token("a"), "request", $"{ssd}=0");
        var notFound = await RunAsync(world.Token("a"), "show", "r-000000000000000000000000");
        var noToken = await RunAsync(null, "list");
        var forbidden = await RunAsync(world.Token("a"), "bill", "--provider", world.Id("home"));
        var notAnItem = await RunAsync(world.Token("a"), "request", "storage.ssd");
        var unknownOption = await RunAsync(world.Token("a"), "list", "--colour");
        var bothBills = await RunAsync(world.Token("a"), "bill", "--tenant", "x", "--provider", "y");
        var unreachable = await RunAsync(world.Token("a"), "list", "--url", $"http://127.0.0.1:{FreePorts.Take(1)[0]}", "--timeout", "1");

        Assert.Equal(ExitCodes.ClientError, invalid.Code);
        Assert.Contains("invalid-request", invalid.Error);
        Assert.Contains("items[0].amount", invalid.Error);
        Assert.Equal((ExitCodes.ClientError, true), (notFound.Code, notFound.Error.Contains("not-found", StringComparison.Ordinal)));
        Assert.Equal((ExitCodes.ClientError, true), (noToken.Code, noToken.Error.Contains("BROKER_TOKEN", StringComparison.Ordinal)));
        Assert.Equal((ExitCodes.ClientError, true), (forbidden.Code, forbidden.Error.Contains("forbidden", StringComparison.Ordinal)));
        Assert.Equal((ExitCodes.Usage, true), (notAnItem.Code, notAnItem.Error.Contains("resource=amount", StringComparison.Ordinal)));
        Assert.Equal((ExitCodes.Usage, true), (unknownOption.Code, unknownOption.Error.Contains("--colour", StringComparison.Ordinal)));
        Assert.Equal((ExitCodes.Usage, true), (bothBills.Code, bothBills.Error.Contains("exactly one", StringComparison.Ordinal)));
        Assert.Equal((ExitCodes.Unavailable, true), (unreachable.Code, unreachable.Error.Contains("unavailable", StringComparison.Ordinal)));
        Assert.Equal(0, (await world.PoolAsync("dc", "storage.ssd")).Allocated);
    }

    [Fact]
    public async Task Audit_ListsTheTenantsEntries_VerifyHoldsAgainItsOwnAnchors_AndExits6WhenOneDoesNotMatch()
    {
        var world = await CreateWorldAsync();
        var created = await RunAsync(world.Token("a"), "request", $"{world.Resource("storage.ssd")}=25", "--json");
        var id = created.Json.GetProperty("id").GetString()!;
        using var directory = new TempDirectory("cli-audit");
        System.IO.Directory.CreateDirectory(directory.Path);
        var anchors = Path.Combine(directory.Path, "anchors.json");

        var listed = await RunAsync(world.Token("a"), "audit", "--action", "request.decided", "--json");
        var table = await RunAsync(world.Token("a"), "audit");
        var first = await RunAsync(broker.FederationAdminToken, "audit", "verify", "--json");
        await File.WriteAllTextAsync(anchors, first.Output);
        var again = await RunAsync(broker.FederationAdminToken, "audit", "verify", "--anchors", anchors);
        var chain = first.Json.GetProperty("chains").EnumerateArray().First(c => c.GetProperty("entries").GetInt64() > 0);
        await File.WriteAllTextAsync(anchors, first.Output.Replace(chain.GetProperty("headHash").GetString()!, new string('0', 64), StringComparison.Ordinal));
        var mismatched = await RunAsync(broker.FederationAdminToken, "audit", "verify", "--anchors", anchors);
        var notAnchors = await RunAsync(broker.FederationAdminToken, "audit", "verify", "--anchors", Path.Combine(directory.Path, "missing.json"));
        var asTenant = await RunAsync(world.Token("a"), "audit", "verify");

        Assert.Equal(ExitCodes.Ok, listed.Code);
        Assert.Equal([(id, "allocated")], listed.Json.GetProperty("items").EnumerateArray().Select(e => (e.GetProperty("subject").GetString(), e.GetProperty("outcome").GetString())));
        Assert.Contains(id, table.Output);
        Assert.Equal((ExitCodes.Ok, true), (first.Code, first.Json.GetProperty("valid").GetBoolean()));
        Assert.Equal(ExitCodes.Ok, again.Code);
        Assert.Contains("The audit trail holds", again.Output);
        Assert.Equal(ExitCodes.AuditBroken, mismatched.Code);
        Assert.Contains("anchor-mismatch", mismatched.Output);
        Assert.Equal((ExitCodes.Usage, true), (notAnchors.Code, notAnchors.Error.Contains("--anchors", StringComparison.Ordinal)));
        Assert.Equal((ExitCodes.ClientError, true), (asTenant.Code, asTenant.Error.Contains("forbidden", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task UrlAndToken_FromTheEnvironment()
    {
        var world = await CreateWorldAsync();
        var environment = new Dictionary<string, string?> { ["BROKER_URL"] = broker.BaseAddress.ToString(), ["BROKER_TOKEN"] = world.Token("a") };
        var output = new StringWriter();
        var error = new StringWriter();

        var code = await BrokerCli.RunAsync(["list", "--json"], output, error, name => environment.GetValueOrDefault(name));

        Assert.Equal((ExitCodes.Ok, ""), (code, error.ToString()));
        Assert.Equal(0, JsonDocument.Parse(output.ToString()).RootElement.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Drain_StartShowStop_AsTheProvidersAdmin_TheAllocationMovesAway()
    {
        var world = await DrainWorld.CreateAsync(broker);
        var created = await RunAsync(world.Token("a"), "request", $"{world.Resource("storage.ssd")}=10", "--lease", "P1D", "--json");
        var from = created.Json.GetProperty("allocation").GetProperty("parts")[0].GetProperty("dataCenter").GetString()!;
        var admin = world.AdminToken("home");

        var started = await RunAsync(admin, "drain", "start", from, "--reason", "firmware", "--json");
        var drained = await Eventually.ReturnsAsync(() => RunAsync(admin, "drain", "show", from, "--json"), r => r.Json.State() == "drained", "the drain moved the request");
        var table = await RunAsync(admin, "drain", "show", from);
        var stopped = await RunAsync(admin, "drain", "stop", from, "--json");
        var refused = await RunAsync(world.Token("a"), "drain", "start", from);

        Assert.Equal((ExitCodes.Ok, "firmware"), (started.Code, started.Json.GetProperty("reason").GetString()));
        Assert.Equal((1L, 0L), (drained.Json.GetProperty("moved").GetInt64(), drained.Json.GetProperty("remaining").GetInt64()));
        Assert.Contains("firmware", table.Output);
        Assert.Equal((ExitCodes.Ok, "none"), (stopped.Code, stopped.Json.State()));
        Assert.Equal(ExitCodes.ClientError, refused.Code);
        Assert.Contains("forbidden", refused.Error);
        var moved = await RunAsync(world.Token("a"), "show", created.Json.GetProperty("id").GetString()!, "--json");
        Assert.NotEqual(from, moved.Json.GetProperty("allocation").GetProperty("parts")[0].GetProperty("dataCenter").GetString());
    }

    private async Task<(int Code, string Output, string Error, JsonElement Json)> RunAsync(string? token, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var all = new List<string>(args);
        if (!args.Contains("--url"))
        {
            all.AddRange(["--url", broker.BaseAddress.ToString()]);
        }

        if (token is not null)
        {
            all.AddRange(["--token", token]);
        }

        var code = await BrokerCli.RunAsync([.. all], output, error, _ => null);
        var text = output.ToString();
        var json = args.Contains("--json") && text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default;
        return (code, text, error.ToString(), json);
    }

    private Task<World> CreateWorldAsync() => broker.CreateWorldAsync(w =>
    {
        var home = w.Member("home", "DE-HH").DataCenter("dc", "DE-HH", Broker.Domain.ProtectionLevel.Normal, Pool("storage.ssd", 10_000, 0.0001m));
        w.Tenant("a", home);
    });
}
