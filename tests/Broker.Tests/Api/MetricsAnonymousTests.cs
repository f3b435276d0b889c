namespace Broker.Tests.Api;

/// <summary>With <c>Broker:Metrics:AllowAnonymous</c> set, for a Prometheus in the cluster network that holds no token.</summary>
public sealed class MetricsAnonymousTests() : OwnBroker("--Broker:Metrics:AllowAnonymous", "true")
{
    [Fact]
    public async Task Scrape_AllowAnonymous_200WithoutAToken_AndForAnyCaller()
    {
        var world = await OneProviderWorldAsync("t");
        Assert.Equal("allocated", (await world.RequestAsync("t", world.Body("storage.ssd", 10))).Body.State());

        var anonymous = await Broker.Client().ScrapeAsync();
        var tenant = await world.Tenant("t").ScrapeAsync();

        Assert.Equal(1, anonymous.Value("broker_decisions_total", ("outcome", "allocated"), ("tier", "home")));
        Assert.Equal(1, tenant.Value("broker_allocations_live"));
    }
}
