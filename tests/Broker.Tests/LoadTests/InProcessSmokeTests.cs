using Broker.LoadTests.Demand;

namespace Broker.Tests.LoadTests;

/// <summary>Each scenario for a few seconds against an embedded broker through the Orleans client.</summary>
public sealed class InProcessSmokeTests : IDisposable
{
    private readonly TempDirectory _directory = new("smoke");

    [Theory]
    [InlineData(ScenarioKind.Steady)]
    [InlineData(ScenarioKind.ElectionNight)]
    [InlineData(ScenarioKind.StorageBurst)]
    public async Task Scenario_ReportComplete_InvariantsHold(ScenarioKind scenario)
    {
        var result = await SmokeRun.RunAsync(SmokeRun.Options(scenario, _directory.Path));

        Assert.Equal("in-process", result.Mode);
        if (scenario == ScenarioKind.ElectionNight)
        {
            Assert.NotNull(result.SpikeState);
        }

        if (scenario == ScenarioKind.StorageBurst)
        {
            // Larger than any single member data center's pool: only a split can serve them.
            var bursts = result.Phases[0].Burst!;
            Assert.Equal(3, bursts.Sent);
            Assert.True(bursts.Allocated == 0 || bursts.MeanParts > 1, $"a burst allocated in one data center: {bursts}");
        }
    }

    [Fact]
    public async Task ProviderOutage_InProcess_RefusedWithReason()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => SmokeRun.RunAsync(SmokeRun.Options(ScenarioKind.ProviderOutage, _directory.Path)));

        Assert.Contains("--target", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _directory.Dispose();
}
