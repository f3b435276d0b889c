using Broker.Contracts;
using Broker.Grains.Directory;
using Broker.Silo.Api;

namespace Broker.Silo.Portal.Pages;

/// <summary>The federation's capacity as <c>GET /v1/federation/capacity</c> answers it, with a chart per provider.</summary>
[PortalAuthorize]
public sealed class FederationModel(CapacityDirectory directory) : PortalPage
{
    public IReadOnlyList<ProviderCapacity> Providers { get; private set; } = [];

    public void OnGet() => Providers = FederationApi.GetCapacity(directory).Value!.Providers;

    /// <summary>One bar per resource class of a provider: its data centers' pools of that class added up (the same unit).</summary>
    public static List<ChartBar> BarsOf(ProviderCapacity provider) => provider.DataCenters
        .SelectMany(dc => dc.Pools)
        .GroupBy(pool => pool.Resource, StringComparer.Ordinal)
        .OrderBy(g => g.Key, StringComparer.Ordinal)
        .Select(g => new ChartBar(g.Key, g.Sum(p => p.Allocated), g.Sum(p => p.Held), g.Sum(p => p.Capacity)))
        .ToList();
}
