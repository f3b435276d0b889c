using Broker.Contracts;
using Broker.DataCenters;
using Broker.Reservations;

namespace Broker.Silo.Api;

/// <summary>Reservations and drains as the wire shows them: the contract records' <c>From</c>, as for requests (<see cref="RequestMapping"/>).</summary>
public static class ReservationMapping
{
    extension(ReservationResource)
    {
        public static ReservationResource From(ReservationSnapshot s) => new(
            s.Id,
            s.Tenant,
            s.State.ToWire(),
            ReasonResource.From(s.Reason),
            s.Start,
            s.End,
            s.Allocation is null ? null : AllocationResource.From(s.Allocation),
            s.Request,
            s.CreatedAt,
            s.Trace.Select(TraceResource.From).ToArray());
    }

    extension(DrainResource)
    {
        public static DrainResource From(DrainStatus s) => new(
            s.DataCenter, s.State.ToWire(), s.Reason, s.StartedAt, s.Moved, s.Remaining, s.Stuck.Select(x => new StuckResource(x.Request, x.Reason)).ToArray());
    }
}
