using System.Net.Http.Headers;
using System.Text.Json;

namespace Broker.Tests.Cluster;

/// <summary>
/// A durable cluster of real processes: PostgreSQL (started by deploy/postgres/pg.sh) and three silo
/// processes, one per provider, each with its own HTTP API. Every fixture gets its own Orleans cluster
/// and service id, so its membership, grain state and reminders never meet another run's in the database.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public const int Silos = 3;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "broker-cluster-" + Guid.NewGuid().ToString("N"));
    private readonly List<SiloProcess> _silos = [];
    private bool _startedPostgres;

    public string Suffix { get; } = Guid.NewGuid().ToString("N")[..8];

    public string FederationAdminToken { get; } = "fed-" + Guid.NewGuid().ToString("N");

    public string[] Providers => [$"pa-{Suffix}", $"pb-{Suffix}", $"pc-{Suffix}"];

    public string ClusterId => $"cluster-{Suffix}";

    public string ConnectionString { get; private set; } = "";

    /// <summary>The certificate every silo of this cluster presents and accepts (self-signed, made for this fixture).</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2 ClusterCertificate { get; } = Certificates.SelfSigned("broker-cluster");

    internal IReadOnlyList<SiloProcess> Silo => _silos;

    public async Task InitializeAsync()
    {
        System.IO.Directory.CreateDirectory(_directory);
        _startedPostgres = (await Shell.RunAsync(RepoPaths.PgScript, "status")).ExitCode != 0;
        await Shell.RunOrThrowAsync(RepoPaths.PgScript, "up");

        // Short database timeouts, and pools small enough that three silos stay under the server's connection limit.
        var connection = ConnectionString = await Shell.RunOrThrowAsync(RepoPaths.PgScript, "url") + ";Timeout=3;Command Timeout=5;Maximum Pool Size=40";
        // The cluster runs with mutual TLS between its silos: one self-signed cluster certificate, pinned.
        var certificateFile = Path.Combine(_directory, "cluster.pfx");
        await File.WriteAllBytesAsync(certificateFile, ClusterCertificate.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pkcs12, "cluster"));
        var federationFile = Path.Combine(_directory, "federation.json");
        await File.WriteAllTextAsync(federationFile, JsonSerializer.Serialize(new
        {
            providers = Providers.Select(p => new { id = p, name = p, kind = "member", regions = new[] { "DE" } }),
            federationAdmins = new[] { new { token = FederationAdminToken } },
        }));
        var settings = new[]
        {
            "--Broker:Storage=postgres",
            $"--ConnectionStrings:Broker={connection}",
            $"--Broker:ClusterId={ClusterId}",
            $"--Broker:ServiceId=service-{Suffix}",
            $"--Broker:FederationFile={federationFile}",
            "--Broker:Negotiation:HoldTtl=00:00:05",
            "--Broker:Directory:HomeCheckInterval=00:00:01",
            // Allocations no request acknowledged are asked about within seconds, so the fault tests reach rest quickly.
            "--Broker:Directory:AcknowledgementCheckInterval=00:00:01",
            "--Logging:LogLevel:Default=Warning",
            $"--Broker:Tls:CertificateFile={certificateFile}",
            "--Broker:Tls:CertificatePassword=cluster",
            "--Broker:RateLimit:Burst=1000000",
            "--Broker:RateLimit:PermitsPerSecond=1000000",
            "--Broker:Negotiation:MaxInFlightPerTenant=1000000",
        };
        var ports = Infrastructure.FreePorts.Take(3 * Silos);
        for (var i = 0; i < Silos; i++)
        {
            _silos.Add(new SiloProcess(Providers[i], SiloEndpoints.Loopback(ports[3 * i], ports[(3 * i) + 1], ports[(3 * i) + 2]), settings, _directory));
        }

        // The first silo alone creates the cluster; the others join it.
        _silos[0].Start();
        await _silos[0].WaitReadyAsync(TimeSpan.FromSeconds(90));
        await StartAsync(1, 2);
    }

    public async Task DisposeAsync()
    {
        foreach (var silo in _silos)
        {
            silo.Dispose();
        }

        if (_startedPostgres)
        {
            await Shell.RunAsync(RepoPaths.PgScript, "down");
        }
    }

    /// <summary>Starts the given silos (again) and waits until each answers ready.</summary>
    public async Task StartAsync(params int[] silos)
    {
        foreach (var i in silos)
        {
            _silos[i].Start();
        }

        await Task.WhenAll(silos.Select(i => _silos[i].WaitReadyAsync(TimeSpan.FromSeconds(90))));
    }

    /// <summary>How long until the cluster's membership table shows the silo on <paramref name="siloPort"/> as dead.</summary>
    public async Task<TimeSpan> TimeUntilDeclaredDeadAsync(int siloPort)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await using var db = new Npgsql.NpgsqlConnection(ConnectionString + ";Pooling=false"); // not a pooled one from before a database restart
        await db.OpenAsync();
        await Eventually.ReturnsAsync(
            async () =>
            {
                await using var query = new Npgsql.NpgsqlCommand(
                    "SELECT status FROM broker_membership WHERE deployment_id = @cluster AND port = @port ORDER BY generation DESC LIMIT 1", db);
                query.Parameters.AddWithValue("cluster", ClusterId);
                query.Parameters.AddWithValue("port", siloPort);
                return (int)(await query.ExecuteScalarAsync() ?? -1);
            },
            status => status == 6, // SiloStatus.Dead
            $"silo on port {siloPort} declared dead",
            TimeSpan.FromSeconds(60));
        return clock.Elapsed;
    }

    /// <summary>
    /// The request ids a data center has allocation rows for in PostgreSQL: the exact set it loads on activation, read
    /// from the database itself, not from any silo's memory.
    /// </summary>
    public async Task<HashSet<string>> StoredAllocationsAsync(string dataCenter)
    {
        await using var db = new Npgsql.NpgsqlConnection(ConnectionString + ";Pooling=false");
        await db.OpenAsync();
        await using var query = new Npgsql.NpgsqlCommand("SELECT key FROM broker_rows WHERE tbl = 'allocation' AND owner = @dc", db);
        query.Parameters.AddWithValue("dc", dataCenter);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await query.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    }

    public HttpClient Client(int silo, string? token = null)
    {
        var client = new HttpClient { BaseAddress = _silos[silo].BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    /// <summary>Adds data centers and tenants to the fixture's providers and waits until every running silo knows the tenants.</summary>
    public async Task AddAsync(object federationFragment, IEnumerable<string> tenantTokens)
    {
        using var admin = Client(0, FederationAdminToken);
        using var response = await admin.PutAsync("/v1/federation", Json.Content(federationFragment));
        Assert.True(response.IsSuccessStatusCode, $"upsert answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        foreach (var token in tenantTokens)
        {
            foreach (var i in Enumerable.Range(0, Silos).Where(i => _silos[i].IsRunning))
            {
                using var client = Client(i, token);
                await Eventually.ReturnsAsync(async () => (await client.GetAsync("/v1/catalog")).StatusCode, s => s == HttpStatusCode.OK, $"silo {i} knows the new tenant");
            }
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
