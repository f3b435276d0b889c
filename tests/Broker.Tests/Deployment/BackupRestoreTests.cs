using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Broker.Tests.Deployment;

/// <summary>
/// The backup and restore of docs/operations.md, done as an operator would: deploy/postgres/backup.sh dumps the
/// database of a running durable silo, the database is dropped, the dump restored, the silo started again.
/// </summary>
[Collection(DeploymentPostgresCollection.Name)]
public sealed class BackupRestoreTests : IDisposable
{
    private const int PoolTotal = 1_000;

    private readonly TempDirectory _directory = new("restore");
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];

    public BackupRestoreTests() => System.IO.Directory.CreateDirectory(_directory.Path);

    private string Provider => $"p-{_suffix}";

    private string DataCenter => $"dc-{_suffix}";

    private string Resource => $"compute.vcpu-{_suffix}";

    private string TenantToken => $"tenant-{_suffix}";

    private string AdminToken => $"fed-{_suffix}";

    [Fact]
    public async Task Restore_AfterTheDatabaseWasDropped_EveryAllocationAndTheAuditTrailAreBack()
    {
        await using var postgres = await DeploymentPostgres.StartAsync();
        var ports = FreePorts.Take(3);
        var settings = new[]
        {
            "--Broker:Storage=postgres",
            $"--ConnectionStrings:Broker={postgres.ConnectionString};Timeout=3;Command Timeout=5",
            $"--Broker:ClusterId=cluster-{_suffix}",
            $"--Broker:ServiceId=service-{_suffix}",
            $"--Broker:FederationFile={WriteFederation()}",
            "--Logging:LogLevel:Default=Warning",
        };
        var endpoints = SiloEndpoints.Loopback(ports[0], ports[1], ports[2]);

        Dictionary<string, string> before;
        AuditState trailBefore;
        var dump = Path.Combine(_directory.Path, "broker.dump");
        using (var silo = new SiloProcess(Provider, endpoints, settings, _directory.Path))
        {
            silo.Start();
            await silo.WaitReadyAsync(TimeSpan.FromSeconds(90));
            using var tenant = Client(silo, TenantToken);
            var ids = new List<string>();
            for (var i = 1; i <= 6; i++)
            {
                var created = await CreateAsync(tenant, amount: 10 * i, idempotencyKey: $"restore-{_suffix}-{i}");
                ids.Add(created.GetProperty("id").GetString()!);
            }

            // A released request too, so the trail holds an end and the pool has given units back.
            using (var released = await tenant.DeleteAsync($"/v1/requests/{ids[0]}"))
            {
                Assert.Equal(HttpStatusCode.OK, released.StatusCode);
            }

            before = await RequestsAsync(tenant, ids);
            using var admin = Client(silo, AdminToken);
            trailBefore = await AuditAsync(admin);
            Assert.True(trailBefore.Valid, "the trail was not valid before the backup");

            // Online: the dump is a consistent snapshot taken while the silo runs.
            await postgres.ScriptAsync(DeploymentPaths.BackupScript, "dump", dump);
            silo.Kill();
        }

        await postgres.SqlAsync("postgres", "DROP DATABASE broker WITH (FORCE)");
        Assert.Equal("0", await postgres.SqlAsync("postgres", "SELECT count(*) FROM pg_database WHERE datname = 'broker'"));

        await postgres.ScriptAsync(DeploymentPaths.BackupScript, "restore", dump);

        // Ports of its own: the first silo's silo port may not be free again yet (a fresh-clone run failed to bind it).
        var again = FreePorts.Take(3);
        using (var silo = new SiloProcess(Provider, SiloEndpoints.Loopback(again[0], again[1], again[2]), settings, _directory.Path))
        {
            silo.Start();
            await silo.WaitReadyAsync(TimeSpan.FromSeconds(90));
            using var tenant = Client(silo, TenantToken);
            using var admin = Client(silo, AdminToken);

            var after = await RequestsAsync(tenant, before.Keys);
            foreach (var (id, request) in before)
            {
                Assert.Equal(request, after[id]);
            }

            var trailAfter = await AuditAsync(admin);
            Assert.True(trailAfter.Valid, $"the restored trail does not verify: {trailAfter.Verdict}");
            // The silo upserts its federation file at start, which may add entries; every entry from before is back as it was.
            var missing = trailBefore.Entries.Except(trailAfter.Entries).ToList();
            Assert.True(missing.Count == 0, $"{missing.Count} of {trailBefore.Entries.Count} audit entries are not back, e.g. {missing.FirstOrDefault()}");

            // The data center's books came back with the requests: exactly what the live ones hold is taken.
            var held = before.Values.Select(r => JsonDocument.Parse(r).RootElement).Where(r => r.State() == "allocated").Sum(r => AllocatedUnits(r));
            Assert.Equal(10 * (2 + 3 + 4 + 5 + 6), held);
            var rest = await CreateAsync(tenant, amount: PoolTotal - held, idempotencyKey: $"restore-{_suffix}-rest");
            Assert.Equal("allocated", rest.State());
            var beyond = await CreateAsync(tenant, amount: 1, idempotencyKey: $"restore-{_suffix}-beyond", expectAllocated: false);
            Assert.Equal("no-capacity", beyond.ReasonCode());
        }
    }

    public void Dispose() => _directory.Dispose();

    private static long AllocatedUnits(JsonElement request) =>
        request.GetProperty("allocation").GetProperty("parts").EnumerateArray().Sum(p => p.GetProperty("amount").GetInt64());

    private static HttpClient Client(SiloProcess silo, string token)
    {
        var client = new HttpClient { BaseAddress = silo.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private async Task<JsonElement> CreateAsync(HttpClient tenant, long amount, string idempotencyKey, bool expectAllocated = true)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "/v1/requests")
        {
            Content = Json.Content(new { items = new[] { new { resource = Resource, amount } } }),
        };
        message.Headers.Add("Idempotency-Key", idempotencyKey);
        using var response = await tenant.SendAsync(message);
        var body = await Json.ReadAsync(response);
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.Accepted, $"create {idempotencyKey} answered {(int)response.StatusCode}: {body}");
        if (response.StatusCode == HttpStatusCode.Accepted)
        {
            // Not decided within the silo's wait budget (a busy machine, a data center activating after the restart): poll it.
            var id = body.GetProperty("id").GetString()!;
            body = await Eventually.ReturnsAsync(
                async () =>
                {
                    using var poll = await tenant.GetAsync($"/v1/requests/{id}");
                    return await Json.ReadAsync(poll);
                },
                r => r.State() != "negotiating",
                $"request {idempotencyKey} decided",
                TimeSpan.FromSeconds(60));
        }
        if (expectAllocated)
        {
            Assert.True(body.State() == "allocated", $"create {idempotencyKey} ended {body}");
        }

        return body;
    }

    /// <summary>Each request as the API answers it, compared as text: every field must come back.</summary>
    private static async Task<Dictionary<string, string>> RequestsAsync(HttpClient tenant, IEnumerable<string> ids)
    {
        var requests = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            using var response = await tenant.GetAsync($"/v1/requests/{id}");
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {id} answered {(int)response.StatusCode}: {text}");
            requests[id] = text;
        }

        return requests;
    }

    /// <summary>The verdict of <c>GET /v1/audit/verify</c> and every entry of the trail (chain, sequence and hash).</summary>
    private static async Task<AuditState> AuditAsync(HttpClient admin)
    {
        using var verify = await admin.GetAsync("/v1/audit/verify");
        var verdict = await Json.ReadAsync(verify);
        Assert.True(verify.StatusCode == HttpStatusCode.OK, $"verify answered {(int)verify.StatusCode}: {verdict}");
        var entries = new HashSet<string>(StringComparer.Ordinal);
        string? after = null;
        do
        {
            using var page = await admin.GetAsync("/v1/audit?limit=1000" + (after is null ? "" : "&after=" + Uri.EscapeDataString(after)));
            var body = await Json.ReadAsync(page);
            Assert.True(page.StatusCode == HttpStatusCode.OK, $"the audit list answered {(int)page.StatusCode}: {body}");
            foreach (var entry in body.GetProperty("items").EnumerateArray())
            {
                entries.Add(string.Create(CultureInfo.InvariantCulture, $"{entry.GetProperty("chain").GetInt32()}/{entry.GetProperty("sequence").GetInt64()} {entry.GetProperty("action").GetString()} {entry.GetProperty("subject").GetString()} {entry.GetProperty("hash").GetString()}"));
            }

            after = body.GetProperty("next").ValueKind == JsonValueKind.String ? body.GetProperty("next").GetString() : null;
        }
        while (after is not null);

        return new AuditState(verdict.GetProperty("valid").GetBoolean(), verdict.ToString(), entries);
    }

    private string WriteFederation()
    {
        var file = Path.Combine(_directory.Path, "federation.json");
        File.WriteAllText(file, JsonSerializer.Serialize(new
        {
            providers = new[]
            {
                new
                {
                    id = Provider,
                    name = Provider,
                    kind = "member",
                    regions = new[] { "DE" },
                    dataCenters = new[]
                    {
                        new { id = DataCenter, location = "DE-HH", pools = new[] { new { resource = Resource, total = PoolTotal, pricePerUnitHour = 0.01m } } },
                    },
                },
            },
            tenants = new[] { new { id = $"t-{_suffix}", name = "Restore tenant", homeProvider = Provider, token = TenantToken } },
            federationAdmins = new[] { new { token = AdminToken } },
        }));
        return file;
    }

    private sealed record AuditState(bool Valid, string Verdict, HashSet<string> Entries);
}
