namespace Broker.Domain;

/// <summary>Where an allocation came from, in the order the broker prefers them.</summary>
public enum Tier
{
    /// <summary>The tenant's own provider.</summary>
    Home = 0,
    /// <summary>Another member of the federation.</summary>
    Federation = 1,
    /// <summary>A commercial partner under a contract of the tenant's home provider.</summary>
    Partner = 2,
}
