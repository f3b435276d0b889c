using Broker.Contracts;
using Broker.DataCenters;

namespace Broker.Silo.Api;

/// <summary>A data center's summary as the wire shows it (static extensions, as in <see cref="RequestMapping"/>).</summary>
public static class FederationMapping
{
    extension(DataCenterResource)
    {
        public static DataCenterResource From(DataCenterSummary dc) => new(
            dc.Id, dc.Provider, dc.Location, dc.ProtectionLevel.ToWire(), dc.RenewableShare, dc.Pue, dc.Pools.Select(PoolResource.From).ToArray(),
            dc.HostSilo is null ? null : new HostResource(dc.HostSilo, dc.HostProvider ?? ""));
    }

    extension(PoolResource)
    {
        public static PoolResource From(PoolSummary p) => new(
            p.Resource, p.Total, p.Capacity, p.Headroom, p.Allocated, p.Held, p.FreeFor(Domain.Priority.Normal), Math.Round(p.Utilisation, 4), p.PricePerUnitHour);
    }
}
