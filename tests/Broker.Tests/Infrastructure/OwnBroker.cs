namespace Broker.Tests.Infrastructure;

/// <summary>
/// For tests that need a broker configured differently from the shared one (a tiny rate limit, say): a broker
/// of their own for the test class, and a world of one provider with one data center.
/// </summary>
public abstract class OwnBroker(params string[] settings) : IAsyncLifetime
{
    protected BrokerFixture Broker { get; } = new() { ExtraSettings = settings };

    public Task InitializeAsync() => Broker.InitializeAsync();

    public Task DisposeAsync() => Broker.DisposeAsync();

    /// <summary>Provider "home" with data center "dc" (1,000 units of storage.ssd) and the given tenants at home there.</summary>
    protected Task<World> OneProviderWorldAsync(params string[] tenants) => Broker.CreateWorldAsync(w =>
    {
        var home = w.Member("home", "DE-HH").DataCenter("dc", "DE-HH", ProtectionLevel.Normal, Pool("storage.ssd", 1_000, 0.0001m));
        foreach (var tenant in tenants)
        {
            w.Tenant(tenant, home);
        }
    });
}
