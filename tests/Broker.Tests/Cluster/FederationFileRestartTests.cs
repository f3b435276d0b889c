using System.Text.Json;

namespace Broker.Tests.Cluster;

/// <summary>
/// The federation file across a real restart of a durable silo (a process of its own on PostgreSQL, killed and
/// started again): the same file is not applied again, so a pool changed through the API stands and neither the
/// federation's version nor the audit trail moves; a changed file is applied once.
/// </summary>
// With the row store's tests for their PostgreSQL fixture, which runs alone: the cluster tests stop and start the same server.
[Collection(Broker.Tests.Storage.PostgresRowStoreCollection.Name)]
public sealed class FederationFileRestartTests(Broker.Tests.Storage.PostgresRowStoreFixture postgres) : IDisposable
{
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];
    private readonly TempDirectory _directory = new("file-restart");
    private SiloProcess? _silo;

    private string Provider => $"p-{_suffix}";

    private string DataCenter => $"dc-{_suffix}";

    private string Resource => $"storage.ssd-{_suffix}";

    private string AdminToken => $"admin-{_suffix}";

    private string FederationAdminToken => $"fed-{_suffix}";

    private string FederationFile => Path.Combine(_directory.Path, "federation.json");

    [Fact]
    public async Task SiloRestart_SameFederationFile_PoolChangedThroughTheApiStands_NoNewVersionNoAuditEntry()
    {
        var (versionBefore, entriesBefore) = await StartWithAPoolChangedThroughTheApiAsync();

        await RestartAsync();

        var pool = await PoolAsync();
        var entriesAfter = await AuditEntriesAsync();
        var versionAfter = await EmptyUpsertAsync();
        Assert.Equal((2_500L, 0.0002m), (pool.GetProperty("total").GetInt64(), pool.GetProperty("pricePerUnitHour").GetDecimal()));
        Assert.Equal(entriesBefore, entriesAfter);
        // The restart took no version: the next upsert is the very next one.
        Assert.Equal(versionBefore + 1, versionAfter);
    }

    [Fact]
    public async Task SiloRestart_ChangedFederationFile_IsAppliedOnce_OneVersionOneAuditEntry()
    {
        var (versionBefore, entriesBefore) = await StartWithAPoolChangedThroughTheApiAsync();
        await WriteFederationFileAsync(total: 3_000, price: 0.0003m);

        await RestartAsync();

        var pool = await PoolAsync();
        var entriesAfter = await AuditEntriesAsync();
        var newest = await NewestAuditEntryAsync();
        var versionAfter = await EmptyUpsertAsync();
        Assert.Equal((3_000L, 0.0003m), (pool.GetProperty("total").GetInt64(), pool.GetProperty("pricePerUnitHour").GetDecimal()));
        Assert.Equal(entriesBefore + 1, entriesAfter);
        Assert.Equal(("federation.upserted", "broker", "file:" + FederationFile), (newest.GetProperty("action").GetString(), newest.GetProperty("actor").GetString(), newest.GetProperty("credential").GetString()));
        Assert.Equal(versionBefore + 2, versionAfter);
    }

    /// <summary>The file says 1,000 units at 0.0001; the API changes the pool to 2,500 at 0.0002. The version and audit count then.</summary>
    private async Task<(long Version, long AuditEntries)> StartWithAPoolChangedThroughTheApiAsync()
    {
        await WriteFederationFileAsync(total: 1_000, price: 0.0001m);
        await StartAsync();
        await SetPoolAsync(total: 2_500, price: 0.0002m);
        return (await EmptyUpsertAsync(), await AuditEntriesAsync());
    }

    public void Dispose()
    {
        _silo?.Dispose();
        _directory.Dispose();
    }

    private async Task WriteFederationFileAsync(long total, decimal price)
    {
        System.IO.Directory.CreateDirectory(_directory.Path);
        var pools = new[] { new { resource = Resource, total, pricePerUnitHour = price } };
        await File.WriteAllTextAsync(FederationFile, JsonSerializer.Serialize(new
        {
            providers = new[]
            {
                new
                {
                    id = Provider,
                    name = Provider,
                    kind = "member",
                    regions = new[] { "DE" },
                    dataCenters = new[] { new { id = DataCenter, location = "DE-HH", pools } },
                    admins = new[] { new { token = AdminToken } },
                },
            },
            federationAdmins = new[] { new { token = FederationAdminToken } },
        }));
    }

    private async Task StartAsync()
    {
        var ports = FreePorts.Take(3);
        _silo = new SiloProcess(Provider, SiloEndpoints.Loopback(ports[0], ports[1], ports[2]),
        [
            "--Broker:Storage=postgres",
            $"--ConnectionStrings:Broker={postgres.ConnectionString}",
            $"--Broker:ClusterId=file-restart-{_suffix}",
            $"--Broker:ServiceId=file-restart-{_suffix}",
            $"--Broker:FederationFile={FederationFile}",
            "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:Broker.Silo.Hosting.FederationLoader=Information",
        ], _directory.Path);
        _silo.Start();
        await _silo.WaitReadyAsync(TimeSpan.FromSeconds(90));
    }

    /// <summary>kill -9 and start again: nothing of the first process survives but what PostgreSQL holds.</summary>
    private async Task RestartAsync()
    {
        _silo!.Kill();
        _silo.Start();
        await _silo.WaitReadyAsync(TimeSpan.FromSeconds(90));
    }

    private HttpClient Client(string token)
    {
        var client = new HttpClient { BaseAddress = _silo!.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private async Task SetPoolAsync(long total, decimal price)
    {
        using var admin = Client(AdminToken);
        using var response = await admin.PutAsync($"/v1/datacenters/{DataCenter}/pools/{Resource}", Json.Content(new { total, pricePerUnitHour = price }));
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"pool change answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    private async Task<JsonElement> PoolAsync()
    {
        using var admin = Client(AdminToken);
        var dataCenters = await ReadOkAsync(await admin.GetAsync($"/v1/providers/{Provider}/datacenters"));
        return dataCenters.EnumerateArray().Single().GetProperty("pools").EnumerateArray().Single(p => p.GetProperty("resource").GetString() == Resource);
    }

    /// <summary>An upsert that changes nothing but takes the next version: how a client learns the version now.</summary>
    private async Task<long> EmptyUpsertAsync()
    {
        using var admin = Client(FederationAdminToken);
        return (await ReadOkAsync(await admin.PutAsync("/v1/federation", Json.Content(new { })))).GetProperty("version").GetInt64();
    }

    /// <summary>Every entry of this silo's trail, counted as stored (this service id's trail is this test's alone).</summary>
    private async Task<long> AuditEntriesAsync()
    {
        using var admin = Client(FederationAdminToken);
        var verification = await ReadOkAsync(await admin.GetAsync("/v1/audit/verify"));
        Assert.True(verification.GetProperty("valid").GetBoolean(), verification.ToString());
        return verification.GetProperty("entries").GetInt64();
    }

    private async Task<JsonElement> NewestAuditEntryAsync()
    {
        using var admin = Client(FederationAdminToken);
        return (await ReadOkAsync(await admin.GetAsync("/v1/audit?limit=1"))).GetProperty("items").EnumerateArray().Single();
    }

    private static async Task<JsonElement> ReadOkAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {text}");
            return JsonDocument.Parse(text).RootElement.Clone();
        }
    }
}
