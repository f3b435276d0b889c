using Broker.Audit;
using Broker.Requests;

namespace Broker.Reservations;

/// <summary>
/// Owns one reservation (key: its id, derived from tenant and idempotency key): capacity booked for a future window
/// [start, end). Decided at once — confirmed at one data center, which holds it in its time-aware book, or rejected
/// with the reason — and at start its data center turns it into an allocation by itself, which the reservation's
/// request (<see cref="ReservationIds.RequestOf"/>) then owns until end.
/// </summary>
[Alias("broker.IReservationGrain")]
public interface IReservationGrain : IGrainWithStringKey
{
    /// <summary>Books the reservation, or answers for the one already under this id (same spec: existing; else a conflict).</summary>
    [Alias("CreateAsync")]
    Task<ReservationOutcome> CreateAsync(ReserveCommand command);

    /// <summary>The reservation, or null if none exists under this id.</summary>
    [Alias("GetAsync")]
    Task<ReservationSnapshot?> GetAsync();

    /// <summary>Before start: cancels it, giving everything back; once active: ends it, releasing its request. Again: unchanged.</summary>
    [Alias("CancelAsync")]
    Task<ReservationSnapshot?> CancelAsync(AuditActor by);

    /// <summary>
    /// A data center holds capacity for this reservation that nobody acknowledged — booked (<paramref name="started"/>
    /// false) or turned into an allocation at start (true): whether the reservation still wants it. Asking about a
    /// started one also completes the start (the request is recorded) if it was interrupted.
    /// </summary>
    [Alias("ClaimsAllocationAsync")]
    Task<AllocationClaim> ClaimsAllocationAsync(string dataCenter, bool started);

    /// <summary>Its data center turned the reservation into an allocation at start: the request is recorded now. One-way.</summary>
    [Orleans.Concurrency.OneWay, Alias("StartedAsync")]
    Task StartedAsync(string dataCenter);
}

public enum ReservationState
{
    None = 0,
    Confirmed = 1,
    Rejected = 2,
    /// <summary>Started: its request is allocated until the reservation's end.</summary>
    Active = 3,
    /// <summary>Its request ended (released, or its lease ran out at the reservation's end).</summary>
    Ended = 4,
    Cancelled = 5,
}

[GenerateSerializer, Immutable, Alias("broker.reserve-command")]
public sealed record ReserveCommand(
    [property: Id(0)] string Tenant,
    [property: Id(1)] string HomeProvider,
    [property: Id(2)] RequestSpec Spec,
    [property: Id(3)] DateTimeOffset Start,
    [property: Id(4)] DateTimeOffset End,
    [property: Id(5)] AuditActor By);

public enum ReservationOutcomeKind
{
    Created = 0,
    Existing = 1,
    Conflict = 2,
}

[GenerateSerializer, Immutable, Alias("broker.reservation-outcome")]
public sealed record ReservationOutcome([property: Id(0)] ReservationOutcomeKind Kind, [property: Id(1)] ReservationSnapshot? Reservation);

[GenerateSerializer, Immutable, Alias("broker.reservation-snapshot")]
public sealed record ReservationSnapshot
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required string Tenant { get; init; }
    [Id(2)] public required ReservationState State { get; init; }
    [Id(3)] public Rejection? Reason { get; init; }
    [Id(4)] public required DateTimeOffset Start { get; init; }
    [Id(5)] public required DateTimeOffset End { get; init; }
    [Id(6)] public Allocation? Allocation { get; init; }
    /// <summary>The request it became, once active.</summary>
    [Id(7)] public string? Request { get; init; }
    [Id(8)] public required DateTimeOffset CreatedAt { get; init; }
    [Id(9)] public TraceEntry[] Trace { get; init; } = [];
    [Id(10)] public required RequestSpec Spec { get; init; }
}

/// <summary>
/// Reservation ids and the id of the request each becomes: the same hex under another prefix, so a data center that
/// turns a reservation into an allocation knows the request's id without asking, and every grain can tell them apart.
/// </summary>
public static class ReservationIds
{
    public const string Prefix = "v-";

    public static bool IsReservation(string id) => id.StartsWith(Prefix, StringComparison.Ordinal);

    public static string RequestOf(string reservationId) => "r-" + reservationId[Prefix.Length..];
}
