using Broker.Audit;
using Orleans.Concurrency;

namespace Broker.Requests;

/// <summary>
/// Owns one request's life: Negotiating → Allocated → Released | Expired, or Rejected, persisted at every
/// transition. Key: the request id (derived from tenant and idempotency key, so a retry lands on the same grain).
/// </summary>
[Alias("broker.IRequestGrain")]
public interface IRequestGrain : IGrainWithStringKey
{
    /// <summary>
    /// Accepts a new request and negotiates it, or answers for the one already under this id: the same spec is a
    /// retry, a different spec a conflict. Answers with the decision, durable, once made; when
    /// <paramref name="waitBudget"/> runs out first, with the request durably recorded as negotiating (the caller
    /// answers 202), and the negotiation goes on.
    /// </summary>
    [Alias("SubmitAsync")]
    Task<SubmitOutcome> SubmitAsync(SubmitCommand command, TimeSpan waitBudget);

    /// <summary>A data center's lease schedule says the lease there ran out: the request ends as expired and settles.</summary>
    [OneWay, Alias("LeaseEndedAsync")]
    Task LeaseEndedAsync(string dataCenter);

    /// <summary>
    /// A data center holds an allocation for this request that the request never acknowledged (its grain may have died
    /// before deciding): whether the request still wants it.
    /// </summary>
    [Alias("ClaimsAllocationAsync")]
    Task<AllocationClaim> ClaimsAllocationAsync(string dataCenter);

    /// <summary>Waits up to <paramref name="budget"/> for a decision and returns the request as it then is.</summary>
    [AlwaysInterleave, Alias("WaitForDecisionAsync")]
    Task<RequestSnapshot?> WaitForDecisionAsync(TimeSpan budget);

    /// <summary>The request, or null if none exists under this id.</summary>
    [Alias("GetAsync")]
    Task<RequestSnapshot?> GetAsync();

    /// <summary>Releases the allocation (on behalf of <paramref name="by"/>, for the audit trail); releasing an ended request again returns it unchanged.</summary>
    [Alias("ReleaseAsync")]
    Task<RequestSnapshot?> ReleaseAsync(AuditActor by);

    /// <summary>Extends the lease to now + <paramref name="lease"/>; only an allocated request can be renewed.</summary>
    [Alias("RenewAsync")]
    Task<RenewOutcome> RenewAsync(TimeSpan lease, AuditActor by);

    /// <summary>
    /// A drain asks the request to leave <paramref name="dataCenter"/>, make-before-break: a new place under the
    /// request's own constraints and tier rules is confirmed and recorded (with the lease end unchanged) before the
    /// old one is released. Idempotent: a request no longer there releases what the data center still keeps.
    /// </summary>
    [Alias("MoveAsync")]
    Task<MoveOutcome> MoveAsync(string dataCenter);

    /// <summary>
    /// A reservation started: the request is recorded as allocated, from the window's start until its end, at the place
    /// the reservation booked (its data center holds the allocation already). Idempotent.
    /// </summary>
    [Alias("AdoptAsync")]
    Task<RequestSnapshot?> AdoptAsync(AdoptCommand command);
}

/// <summary>What a started reservation hands its request.</summary>
[GenerateSerializer, Immutable, Alias("broker.adopt-command")]
public sealed record AdoptCommand(
    [property: Id(0)] string Tenant,
    [property: Id(1)] string HomeProvider,
    [property: Id(2)] RequestSpec Spec,
    [property: Id(3)] Allocation Allocation,
    [property: Id(4)] DateTimeOffset Start,
    [property: Id(5)] DateTimeOffset End,
    [property: Id(6)] string Reservation,
    [property: Id(7)] AuditActor By,
    [property: Id(8)] bool QuotaHeld);

public enum MoveKind
{
    /// <summary>Moved: the request is allocated elsewhere now, and the data center's allocation was released.</summary>
    Moved = 0,
    /// <summary>The request holds nothing there (any more): whatever the data center kept for it was released.</summary>
    Gone = 1,
    /// <summary>No other place within the request's constraints has room now; it stays.</summary>
    Stuck = 2,
    /// <summary>The request is still being decided: ask again later.</summary>
    NotYet = 3,
}

/// <summary>How a move came out; for a stuck one, why, and what it would need elsewhere (the drain's hint for retrying).</summary>
[GenerateSerializer, Immutable, Alias("broker.move-outcome")]
public sealed record MoveOutcome(
    [property: Id(0)] MoveKind Kind,
    [property: Id(1)] string? Reason = null,
    [property: Id(2)] RequestItem[]? Needs = null);

[GenerateSerializer, Immutable, Alias("broker.submit-command")]
public sealed record SubmitCommand(
    [property: Id(0)] string Tenant,
    [property: Id(1)] string HomeProvider,
    [property: Id(2)] RequestSpec Spec,
    [property: Id(3)] AuditActor By);

public enum SubmitKind
{
    /// <summary>A new request was accepted and is negotiating.</summary>
    Accepted = 0,
    /// <summary>The same tenant already submitted the same spec under this key.</summary>
    Existing = 1,
    /// <summary>The key was used before for a different spec or by a different tenant.</summary>
    Conflict = 2,
    /// <summary>The tenant has as many requests negotiating as it may; nothing was recorded.</summary>
    Throttled = 3,
}

[GenerateSerializer, Immutable, Alias("broker.submit-outcome")]
public sealed record SubmitOutcome([property: Id(0)] SubmitKind Kind, [property: Id(1)] RequestSnapshot? Request);

public enum AllocationClaim
{
    /// <summary>The request's decision names that data center: keep it.</summary>
    Wanted = 0,
    /// <summary>The request did not decide on it (or does not exist): release it.</summary>
    NotWanted = 1,
    /// <summary>Still negotiating: ask again later.</summary>
    Undecided = 2,
}

public enum RenewKind
{
    Renewed = 0,
    NotFound = 1,
    /// <summary>The request is not allocated (still negotiating, rejected, released or expired).</summary>
    NotAllocated = 2,
    /// <summary>The longer lease would take capacity reserved for a window ahead; the lease stays as it was.</summary>
    CapacityReserved = 3,
}

[GenerateSerializer, Immutable, Alias("broker.renew-outcome")]
public sealed record RenewOutcome([property: Id(0)] RenewKind Kind, [property: Id(1)] RequestSnapshot? Request);
