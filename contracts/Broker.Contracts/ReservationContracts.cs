namespace Broker.Contracts;

/// <summary>The body of <c>POST /v1/reservations</c>: a request's, with a window instead of a lease.</summary>
public sealed record CreateReservationBody
{
    public ItemBody[]? Items { get; init; }
    public ConstraintsBody? Constraints { get; init; }
    public Priority? Priority { get; init; }
    /// <summary>Must be false or absent: a reservation is held in one data center.</summary>
    public bool? Splittable { get; init; }
    /// <summary>RFC 3339, in the future.</summary>
    public string? Start { get; init; }
    /// <summary>RFC 3339, after start and at most 365 days ahead.</summary>
    public string? End { get; init; }
}

/// <summary>A reservation as the API shows it; <see cref="Request"/> is the request it became once active.</summary>
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
    TraceResource[] Trace);

public sealed record ReservationListResource(ReservationResource[] Items, string? Next);

/// <summary>The body of <c>POST /v1/datacenters/{dc}/drain</c>.</summary>
public sealed record DrainBody
{
    /// <summary>Why the data center is drained (maintenance, a move, …), shown with the drain and in the audit trail.</summary>
    public string? Reason { get; init; }
}

/// <summary>A data center's drain as the API shows it; <c>state</c> <c>none</c> when none runs.</summary>
public sealed record DrainResource(string DataCenter, DrainState State, string? Reason, DateTimeOffset? StartedAt, long Moved, long Remaining, StuckResource[] Stuck);

/// <summary>An allocation the drain could not move yet, and why (retried as capacity frees up).</summary>
public sealed record StuckResource(string Request, string Reason);
