using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Broker.Tests.Deployment;

/// <summary>deploy/local-cluster.sh: which providers it runs silos for.</summary>
[Collection(DeploymentPostgresCollection.Name)]
public sealed class LocalClusterTests : IDisposable
{
    private readonly TempDirectory _directory = new("local-cluster");
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];

    public LocalClusterTests() => System.IO.Directory.CreateDirectory(_directory.Path);

    [Fact]
    public async Task Up_FederationFileWithoutTheDemoProviders_RunsOneSiloPerMemberOfTheFile()
    {
        string[] members = [$"ma-{_suffix}", $"mb-{_suffix}"];
        var adminToken = $"fed-{_suffix}";
        var file = WriteFederation(members, partner: $"pp-{_suffix}", adminToken);
        await using var postgres = await DeploymentPostgres.StartAsync();
        var environment = new Dictionary<string, string>(postgres.Environment)
        {
            ["BROKER_FEDERATION_FILE"] = file,
            ["BROKER_CLUSTER_STATE"] = Path.Combine(_directory.Path, "cluster"),
            ["BROKER_HTTP_PORT"] = Port(FreePorts.TakeConsecutive(members.Length)),
            ["BROKER_SILO_PORT"] = Port(FreePorts.TakeConsecutive(members.Length)),
            ["BROKER_GATEWAY_PORT"] = Port(FreePorts.TakeConsecutive(members.Length)),
            // The whole suite runs beside it on two cores: a silo may take longer than a developer's minute to be ready.
            ["BROKER_READY_SECONDS"] = "180",
            // The script builds the silo; build servers left running would hold this test's output pipe open.
            ["MSBUILDDISABLENODEREUSE"] = "1",
            ["UseSharedCompilation"] = "false",
        };
        try
        {
            await Shell.ExecOrThrowAsync(environment, TimeSpan.FromMinutes(8), "bash", DeploymentPaths.LocalClusterScript, "up");
            var silos = (await Shell.ExecOrThrowAsync(environment, "bash", DeploymentPaths.LocalClusterScript, "status"))
                .Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => line.Split(' '))
                .ToDictionary(fields => fields[0], fields => new Uri(fields[2]));

            Assert.Equal(members, silos.Keys.Order(StringComparer.Ordinal));
            foreach (var (provider, url) in silos)
            {
                // Each silo serves the file's federation: it knows its own provider.
                using var client = new HttpClient { BaseAddress = url };
                client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
                using var response = await client.GetAsync($"/v1/providers/{provider}/datacenters");
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{provider}'s silo at {url} answered {(int)response.StatusCode} for its own provider");
            }
        }
        finally
        {
            await Shell.ExecAsync(environment, "bash", DeploymentPaths.LocalClusterScript, "down");
        }
    }

    [Fact]
    public async Task Providers_DemoFederation_StaysTheThreeDemoProviders()
    {
        var output = await Shell.ExecOrThrowAsync(new Dictionary<string, string>(), "bash", DeploymentPaths.LocalClusterScript, "providers");

        Assert.Equal("dataport itnrw akdb", output);
    }

    [Fact]
    public async Task Providers_FileWithPartner_TakesOnlyTheMembers()
    {
        var file = WriteFederation([$"ma-{_suffix}", $"mb-{_suffix}", $"mc-{_suffix}"], partner: $"pp-{_suffix}", $"fed-{_suffix}");

        var output = await Shell.ExecOrThrowAsync(new Dictionary<string, string> { ["BROKER_FEDERATION_FILE"] = file }, "bash", DeploymentPaths.LocalClusterScript, "providers");

        Assert.Equal($"ma-{_suffix} mb-{_suffix} mc-{_suffix}", output);
    }

    [Fact]
    public async Task Providers_BrokerProvidersSet_WinsOverTheFile()
    {
        var file = WriteFederation([$"ma-{_suffix}"], partner: $"pp-{_suffix}", $"fed-{_suffix}");

        var output = await Shell.ExecOrThrowAsync(
            new Dictionary<string, string> { ["BROKER_FEDERATION_FILE"] = file, ["BROKER_PROVIDERS"] = "x y" }, "bash", DeploymentPaths.LocalClusterScript, "providers");

        Assert.Equal("x y", output);
    }

    public void Dispose() => _directory.Dispose();

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    /// <summary>A federation of the given members (one without an explicit kind: members are the default) and one partner.</summary>
    private string WriteFederation(string[] members, string partner, string adminToken)
    {
        var providers = members.Select((id, i) => i == 0
                ? (object)new { id, name = id, regions = new[] { "DE" } }
                : new { id, name = id, kind = "member", regions = new[] { "DE" } })
            .Append(new { id = partner, name = partner, kind = "partner", regions = new[] { "DE" } });
        var file = Path.Combine(_directory.Path, $"federation-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, JsonSerializer.Serialize(new { providers, federationAdmins = new[] { new { token = adminToken } } }));
        return file;
    }
}
