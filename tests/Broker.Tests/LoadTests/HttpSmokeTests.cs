using Broker.LoadTests.Demand;

namespace Broker.Tests.LoadTests;

/// <summary>The harness against a running broker over HTTP, through the client library.</summary>
[Collection(BrokerCollection.Name)]
public sealed class HttpSmokeTests(BrokerFixture broker) : IDisposable
{
    private readonly TempDirectory _directory = new("smoke");

    [Fact]
    public async Task ElectionNight_OverHttp_ReportComplete_InvariantsHold()
    {
        var result = await SmokeRun.RunAsync(SmokeRun.Options(ScenarioKind.ElectionNight, _directory.Path, broker.BaseAddress, broker.FederationAdminToken));

        Assert.Equal("http", result.Mode);
        Assert.Equal("GET /health/live", result.Ceiling!.TrivialCall);
    }

    public void Dispose() => _directory.Dispose();
}
