using Broker.DataCenters;
using Broker.Domain;

namespace Broker.Grains.Negotiation;

/// <summary>A data center that meets every hard constraint, as the directory last saw it.</summary>
internal sealed record Candidate(DataCenterSummary DataCenter, Tier Tier, bool LooksFree, decimal HourlyCost, double Score)
{
    public string Id => DataCenter.Id;
}
