using Broker.Contracts;
using Broker.Requests;
using Broker.Reservations;

namespace Broker.Silo.Api;

/// <summary>The body of <c>POST /v1/reservations</c>: a request's, with a window instead of a lease.</summary>
public sealed record CreateReservationBody
{
    public ItemBody[]? Items { get; init; }
    public ConstraintsBody? Constraints { get; init; }
    public Broker.Domain.Priority? Priority { get; init; }
    /// <summary>Must be false or absent: a reservation is held in one data center.</summary>
    public bool? Splittable { get; init; }
    /// <summary>RFC 3339, in the future.</summary>
    public string? Start { get; init; }
    /// <summary>RFC 3339, after start and at most 365 days ahead.</summary>
    public string? End { get; init; }
}

/// <summary>A validated reservation body: the spec (its lease the window's length) and the window.</summary>
public sealed record ReservationAskBody(RequestSpec Spec, DateTimeOffset Start, DateTimeOffset End);

/// <summary>A reservation as the API shows it.</summary>
public sealed record ReservationResource(
    string Id,
    string Tenant,
    ReservationState State,
    ReasonResource? Reason,
    DateTimeOffset Start,
    DateTimeOffset End,
    AllocationResource? Allocation,
    string? Request,
    DateTimeOffset CreatedAt,
    TraceResource[] Trace)
{
    public static ReservationResource From(ReservationSnapshot s) => new(
        s.Id,
        s.Tenant,
        s.State,
        s.Reason is null ? null : new ReasonResource(s.Reason.Code.ToWire(), s.Reason.Detail),
        s.Start,
        s.End,
        s.Allocation is null ? null : AllocationResource.From(s.Allocation),
        s.Request,
        s.CreatedAt,
        s.Trace.Select(TraceResource.From).ToArray());
}

public sealed record ReservationListResource(ReservationResource[] Items, string? Next);
