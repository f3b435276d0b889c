using Broker.DataCenters;
using Broker.Domain;
using Broker.Providers;
using Broker.Requests;

namespace Broker.Grains.Requests;

/// <summary>
/// Gives back what a request holds: its allocation at each data center of the parts and, where a part
/// came from a partner, the home provider's contract volume. Every step is idempotent, so it serves the
/// end of a lease, an abandoned split, a resumed negotiation and a fault alike.
/// </summary>
internal static class CapacityReturn
{
    public static async Task ReleaseAsync(IGrainFactory grains, string requestId, string homeProvider, IReadOnlyCollection<AllocationPart> parts)
    {
        await Task.WhenAll(parts
            .Select(p => p.DataCenter)
            .Distinct(StringComparer.Ordinal)
            .Select(dc => grains.Reference<IDataCenterGrain>(dc).ReleaseAsync(requestId)));
        if (parts.Any(p => p.Tier == Tier.Partner))
        {
            await grains.Reference<IProviderGrain>(homeProvider).ReleaseContractAsync(requestId);
        }
    }
}
