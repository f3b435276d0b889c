using Broker.DataCenters;
using Broker.Grains.DataCenters;
using Broker.Grains.Directory;
using Broker.Grains.Federation;

namespace Broker.Grains.Negotiation;

/// <summary>
/// Data centers the federation registers but this silo's directory has not seen yet: after a silo joins or rejoins,
/// partitions refill as data centers republish, and until then the directory alone would call a servable request
/// <c>unsatisfiable</c>. These stand-in summaries, built from the registration with nothing counted as used, let the
/// negotiation ask those data centers themselves: they decide, as always.
/// </summary>
internal static class DirectoryGap
{
    /// <summary>Stand-ins for the registered data centers the directory lacks; a pass over the federation, so only on the way to a rejection.</summary>
    public static Dictionary<string, DataCenterSummary> Unseen(FederationView federation, CapacityDirectory directory)
    {
        var unseen = new Dictionary<string, DataCenterSummary>(StringComparer.Ordinal);
        foreach (var provider in federation.Providers.Values)
        {
            foreach (var dc in provider.DataCenters.Where(dc => directory.Find(dc.Id) is null))
            {
                // Nothing counted as used: only the data center itself knows, and it is asked.
                var pools = dc.Pools.Select(p => CapacityBook.SummaryOf(p, allocated: 0, held: 0)).ToArray();
                unseen[dc.Id] = DataCenterSummary.Of(provider.Id, provider.Kind, dc, pools, version: 0);
            }
        }

        return unseen;
    }
}
