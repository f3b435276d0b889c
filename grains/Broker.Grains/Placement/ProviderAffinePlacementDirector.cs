using Broker.Grains.Federation;
using Orleans.Runtime.Placement;

namespace Broker.Grains.Placement;

/// <summary>Chooses, among the compatible silos, one of the data center's owner if there is any.</summary>
internal sealed class ProviderAffinePlacementDirector(FederationRegistry federation, ProviderSilos silos) : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var compatible = context.GetCompatibleSilos(target);
        var dataCenter = target.GrainIdentity.Key.ToString();
        var owners = federation.Current.DataCenterOwners.TryGetValue(dataCenter ?? "", out var owner)
            ? OwnedBy(compatible, owner)
            : [];
        var choices = owners.Length > 0 ? owners : compatible;
        return Task.FromResult(choices[Random.Shared.Next(choices.Length)]);
    }

    private SiloAddress[] OwnedBy(IEnumerable<SiloAddress> candidates, string provider) =>
        candidates.Where(silo => silos.ProviderOf(silo) == provider).ToArray();
}
