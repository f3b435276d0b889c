using Broker.DataCenters;
using Broker.Domain;
using Broker.Grains.Providers;
using Broker.Providers;
using Broker.Requests;

namespace Broker.Grains.Requests;

/// <summary>
/// Gives back what a request holds: its allocation at each data center of the parts and, where a part came from a
/// partner, the home provider's contract volume. Every step is idempotent. An end gives back everything the request
/// holds; a negotiation that gives up gives back only what it confirmed itself (<see cref="AbandonAsync"/>), so that
/// a second activation of the request, during a membership change, never undoes the other's allocation.
/// </summary>
internal static class CapacityReturn
{
    /// <summary>After the request's end: everything it holds at the parts' data centers and under contracts.</summary>
    public static async Task ReleaseAsync(IGrainFactory grains, string requestId, string homeProvider, IReadOnlyCollection<AllocationPart> parts)
    {
        await Task.WhenAll(DataCentersOf(parts).Select(dc => grains.Reference<IDataCenterGrain>(dc).ReleaseAsync(requestId)));
        if (parts.Any(p => p.Tier == Tier.Partner))
        {
            await grains.Reference<IProviderGrain>(homeProvider).ReleaseContractAsync(requestId);
        }
    }

    /// <summary>What one negotiation (<paramref name="attempt"/>) confirmed and gives up: only its own allocations and reservations.</summary>
    public static async Task AbandonAsync(IGrainFactory grains, string requestId, Guid attempt, string homeProvider, IReadOnlyCollection<AllocationPart> parts)
    {
        await Task.WhenAll(DataCentersOf(parts).Select(dc => grains.Reference<IDataCenterGrain>(dc).AbandonAsync(requestId, attempt)));
        var provider = grains.Reference<IProviderGrain>(homeProvider);
        await Task.WhenAll(DataCentersOf(parts.Where(p => p.Tier == Tier.Partner))
            .Select(dc => provider.AbandonContractAsync(ContractReservations.Key(requestId, dc, attempt))));
    }

    private static IEnumerable<string> DataCentersOf(IEnumerable<AllocationPart> parts) => parts.Select(p => p.DataCenter).Distinct(StringComparer.Ordinal);
}
