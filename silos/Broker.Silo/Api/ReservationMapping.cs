using Broker.Contracts;
using Broker.DataCenters;
using Broker.Requests;
using Broker.Reservations;

namespace Broker.Silo.Api;

/// <summary>A validated reservation body: the spec (its lease the window's length) and the window.</summary>
public sealed record ReservationAskBody(RequestSpec Spec, DateTimeOffset Start, DateTimeOffset End);

/// <summary>Reservations and drains as the wire shows them: the contract records' <c>From</c>, as for requests (<see cref="RequestMapping"/>).</summary>
public static class ReservationMapping
{
    extension(ReservationResource)
    {
        public static ReservationResource From(ReservationSnapshot s) => new(
            s.Id,
            s.Tenant,
            s.State.ToWire(),
            s.Reason is null ? null : new ReasonResource(s.Reason.Code.ToWire(), s.Reason.Detail),
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
