using Orleans.Runtime.MembershipService.SiloMetadata;

namespace Broker.Grains.Placement;

/// <summary>Which live silos run for which provider, from cluster membership and silo metadata.</summary>
public sealed class ProviderSilos(IClusterMembershipService membership, ISiloMetadataCache metadata)
{
    public bool AnyAliveFor(string provider) =>
        membership.CurrentSnapshot.Members.Values.Any(m => m.Status == SiloStatus.Active && ProviderOf(m.SiloAddress) == provider);

    public string? ProviderOf(SiloAddress silo) => metadata.GetSiloMetadata(silo).Metadata.GetValueOrDefault(SiloProvider.MetadataKey);
}
