using System.Text.Json;

namespace Broker.Tests.Deployment;

/// <summary>
/// deploy/container/compose.yaml read as compose reads it (anchors and merge keys resolved): PostgreSQL, the schema
/// job, and three silos of three providers, with the health checks and start order that make 'up' come up in order.
/// </summary>
public sealed class ComposeFileTests
{
    private static readonly string ComposePath = Path.Combine(DeploymentPaths.ContainerDirectory, "compose.yaml");

    private static readonly string[] Silos = ["silo-dataport", "silo-itnrw", "silo-akdb"];

    public static TheoryData<string> SiloServices => new(Silos);

    private readonly object _compose = Yaml.Load(File.ReadAllText(ComposePath));

    [Fact]
    public void Services_ArePostgresTheSchemaJobAndThreeSilos()
    {
        Assert.Equal(["postgres", "schema", .. Silos], _compose.Keys("services"));
    }

    [Fact]
    public void Postgres_IsHealthyOnlyWhenItAcceptsConnections_AndKeepsItsDataInAVolume()
    {
        var postgres = _compose.At("services", "postgres");

        Assert.Equal(["CMD", "pg_isready", "--username=broker", "--dbname=broker"], postgres.Items("healthcheck", "test").Cast<string>());
        Assert.Equal(["postgres-data:/var/lib/postgresql/data"], postgres.Items("volumes").Cast<string>());
        Assert.Contains("postgres-data", _compose.Keys("volumes"));
    }

    [Fact]
    public void Schema_AppliesTheProjectsOwnScriptsOnceThePostgresIsHealthy()
    {
        var schema = _compose.At("services", "schema");

        Assert.Equal("service_healthy", schema.Text("depends_on", "postgres", "condition"));
        var mount = Assert.Single(schema.Items("volumes").Cast<string>());
        Assert.Equal("../postgres/schema:/schema:ro", mount);
        // The mount is relative to the compose file: it must be the repository's schema directory, with its scripts.
        var source = Path.GetFullPath(Path.Combine(DeploymentPaths.ContainerDirectory, mount.Split(':')[0]));
        Assert.Equal(Path.Combine(RepoPaths.Root, "deploy", "postgres", "schema"), source);
        Assert.NotEmpty(System.IO.Directory.GetFiles(source, "*.sql"));
        Assert.Contains("for script in /schema/*.sql; do psql", string.Join(' ', schema.Items("entrypoint").Cast<string>()), StringComparison.Ordinal);
        Assert.Equal("no", schema.Text("restart"));
    }

    [Fact]
    public void Silos_RunThreeDifferentMemberProvidersOfTheDemoFederation()
    {
        var providers = Silos.Select(s => _compose.Text("services", s, "environment", "Broker__Provider")).ToList();

        Assert.Equal(["dataport", "itnrw", "akdb"], providers);
        using var demo = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "silos", "Broker.Silo", "demo-federation.json")));
        var members = demo.RootElement.GetProperty("providers").EnumerateArray()
            .Where(p => p.GetProperty("kind").GetString() == "member").Select(p => p.GetProperty("id").GetString()).ToHashSet();
        Assert.All(providers, p => Assert.Contains(p, members));
    }

    [Theory]
    [InlineData("silo-dataport", "127.0.0.1:5081:8080")]
    [InlineData("silo-itnrw", "127.0.0.1:5082:8080")]
    [InlineData("silo-akdb", "127.0.0.1:5083:8080")]
    public void Silo_PublishesItsHttpPortOnLoopbackOnly(string silo, string port)
    {
        // Only the HTTP API leaves the host; the silo (11111) and gateway (30000) ports stay on the compose network.
        Assert.Equal([port], _compose.Items("services", silo, "ports").Cast<string>());
    }

    [Theory]
    [MemberData(nameof(SiloServices))]
    public void Silo_RunsAsNonRootOnAReadOnlyRootFileSystem(string silo)
    {
        var service = _compose.At("services", silo);

        Assert.Equal("1654:1654", service.Text("user"));
        Assert.Equal("true", service.Text("read_only"));
        Assert.Equal(["/tmp"], service.Items("tmpfs").Cast<string>());
        Assert.Equal(["ALL"], service.Items("cap_drop").Cast<string>());
        Assert.Equal(["no-new-privileges:true"], service.Items("security_opt").Cast<string>());
        Assert.EndsWith(":/config/federation.json:ro", Assert.Single(service.Items("volumes").Cast<string>()), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(SiloServices))]
    public void Silo_IsHealthyWhenReady_AndGivesTheClusterItsOwnFixedAddress(string silo)
    {
        var service = _compose.At("services", silo);

        Assert.Equal(["CMD", "curl", "--fail", "--silent", "--output", "/dev/null", "http://127.0.0.1:8080/health/ready"], service.Items("healthcheck", "test").Cast<string>());
        Assert.Equal("60s", service.Text("healthcheck", "start_period"));
        Assert.Equal("postgres", service.Text("environment", "Broker__Storage"));
        Assert.StartsWith("Host=postgres;Port=5432;Database=broker;", service.Text("environment", "ConnectionStrings__Broker"), StringComparison.Ordinal);
        Assert.Equal(service.Text("networks", "broker", "ipv4_address"), service.Text("environment", "Broker__SiloAddress"));
    }

    [Fact]
    public void Silos_StartAfterTheSchema_TheFirstAloneThenTheOthers()
    {
        Assert.Equal("service_completed_successfully", _compose.Text("services", "silo-dataport", "depends_on", "schema", "condition"));
        Assert.Equal("service_healthy", _compose.Text("services", "silo-itnrw", "depends_on", "silo-dataport", "condition"));
        Assert.Equal("service_healthy", _compose.Text("services", "silo-akdb", "depends_on", "silo-dataport", "condition"));
        Assert.Equal("deploy/container/Dockerfile", _compose.Text("services", "silo-dataport", "build", "dockerfile"));
        Assert.Equal(RepoPaths.Root, Path.GetFullPath(Path.Combine(DeploymentPaths.ContainerDirectory, _compose.Text("services", "silo-dataport", "build", "context")!)));
        Assert.All(Silos, s => Assert.Equal("broker-silo:local", _compose.Text("services", s, "image")));
    }
}
