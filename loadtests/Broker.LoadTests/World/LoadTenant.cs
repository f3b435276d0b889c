namespace Broker.LoadTests.World;

/// <summary>An authority in the load world: where it sits, whose tenant it is, and how much it asks for at base rate.</summary>
public sealed record LoadTenant(string Id, string Name, string HomeProvider, string Location, double BaseRate, string Token)
{
    /// <summary>The country its data must stay in by default: <c>AT</c> for <c>AT-9</c>, <c>DE</c> for <c>DE-NW</c>.</summary>
    public string Country => Location[..2];
}
