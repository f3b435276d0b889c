using Orleans.Placement;

namespace Broker.Grains.Placement;

/// <summary>
/// Places a data center's grain on a silo run by the provider that owns the data center, while one is
/// alive; otherwise on any compatible silo. A provider's capacity is then decided in its own data centers.
/// </summary>
[GenerateSerializer, Immutable, Alias("broker.provider-affine-placement")]
public sealed class ProviderAffinePlacement : PlacementStrategy
{
    internal static readonly ProviderAffinePlacement Instance = new();
}

[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class ProviderAffinePlacementAttribute() : PlacementAttribute(ProviderAffinePlacement.Instance);

/// <summary>The silo metadata key that names the provider a silo runs for.</summary>
public static class SiloProvider
{
    public const string MetadataKey = "broker.provider";
}

/// <summary>The provider this silo runs for (empty: none).</summary>
public sealed record LocalSiloProvider(string Provider);
