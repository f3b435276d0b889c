namespace Broker.Tests.Client;

/// <summary>A provider with two like data centers, <c>one</c> and <c>two</c>, and a tenant <c>a</c>: what a drain needs to move a request.</summary>
internal static class DrainWorld
{
    public static Task<World> CreateAsync(BrokerFixture broker) => broker.CreateWorldAsync(w =>
    {
        var home = w.Member("home", "DE-HH")
            .DataCenter("one", "DE-HH", Broker.Domain.ProtectionLevel.Normal, Pool("storage.ssd", 1_000, 0.0001m))
            .DataCenter("two", "DE-HH", Broker.Domain.ProtectionLevel.Normal, Pool("storage.ssd", 1_000, 0.0001m));
        w.Tenant("a", home);
    });
}
