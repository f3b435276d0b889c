using Broker.DataCenters;
using Broker.Domain;

namespace Broker.Grains.Negotiation;

/// <summary>
/// A data center that meets every hard constraint, as the directory last saw it. <see cref="ClearlyFits"/>: free
/// capacity so far beyond the ask that a directory a moment old cannot be wrong about it — worth allocating at once.
/// </summary>
internal sealed record Candidate(DataCenterSummary DataCenter, Tier Tier, bool LooksFree, decimal HourlyCost, double Score, bool ClearlyFits = false)
{
    public string Id => DataCenter.Id;
}
