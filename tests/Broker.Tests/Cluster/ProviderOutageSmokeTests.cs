using Broker.LoadTests.Demand;
using Broker.LoadTests.Running;
using Broker.Tests.LoadTests;

namespace Broker.Tests.Cluster;

/// <summary>The provider-outage scenario against the durable three-process cluster: a silo killed mid-run and started again.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ProviderOutageSmokeTests(ClusterFixture cluster) : IDisposable
{
    private readonly TempDirectory _directory = new("smoke");

    [Fact]
    public async Task ProviderOutage_SiloKilledAndRestarted_EveryRequestTerminal_NothingOvercommitted()
    {
        var outage = new FixtureOutage(cluster, silo: 2);
        var options = SmokeRun.Options(ScenarioKind.ProviderOutage, _directory.Path, cluster.Silo[0].BaseAddress, cluster.FederationAdminToken) with
        {
            Duration = TimeSpan.FromSeconds(6),
            Rate = 20,
        };

        var result = await SmokeRun.RunAsync(options, outage);

        foreach (var phase in result.Phases)
        {
            Assert.Equal(
                [$"silo of {outage.Provider} stopping", $"silo of {outage.Provider} stopped", $"silo of {outage.Provider} starting", $"silo of {outage.Provider} ready again"],
                phase.Events.Select(e => e.What));
        }

        Assert.True(cluster.Silo[2].IsRunning);
    }

    public void Dispose() => _directory.Dispose();

    /// <summary>Kills a silo process of the fixture (no goodbye to the cluster) and starts it again.</summary>
    private sealed class FixtureOutage(ClusterFixture cluster, int silo) : IOutageControl
    {
        public string Provider => cluster.Silo[silo].Provider;

        public Task StopAsync(CancellationToken cancellationToken)
        {
            cluster.Silo[silo].Kill();
            return Task.CompletedTask;
        }

        public Task StartAsync(CancellationToken cancellationToken) => cluster.StartAsync(silo);
    }
}
