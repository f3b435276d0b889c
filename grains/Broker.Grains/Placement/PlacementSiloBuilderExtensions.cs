using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace Broker.Grains.Placement;

public static class PlacementSiloBuilderExtensions
{
    /// <summary>
    /// Announces which provider this silo runs for (silo metadata) and places data center grains on their
    /// owner's silos. A silo that runs for no provider (an empty id) takes data centers only as a fallback.
    /// </summary>
    public static ISiloBuilder UseProviderAffinePlacement(this ISiloBuilder silo, string provider)
    {
        silo.UseSiloMetadata(new Dictionary<string, string> { [SiloProvider.MetadataKey] = provider });
        silo.Services.AddSingleton(new LocalSiloProvider(provider));
        silo.Services.AddSingleton<ProviderSilos>();
        silo.AddPlacementDirector<ProviderAffinePlacement, ProviderAffinePlacementDirector>();
        return silo;
    }
}
