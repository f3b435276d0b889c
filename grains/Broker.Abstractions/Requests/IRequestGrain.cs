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
    /// Accepts a new request and starts negotiating, or answers for the one already under this id:
    /// the same spec is a retry, a different spec a conflict. Returns before the negotiation ends.
    /// </summary>
    [Alias("SubmitAsync")]
    Task<SubmitOutcome> SubmitAsync(SubmitCommand command);

    /// <summary>Runs (or resumes) the negotiation; a no-op once decided. Sent by the grain to itself.</summary>
    [OneWay, Alias("NegotiateAsync")]
    Task NegotiateAsync();

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
}

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

public enum RenewKind
{
    Renewed = 0,
    NotFound = 1,
    /// <summary>The request is not allocated (still negotiating, rejected, released or expired).</summary>
    NotAllocated = 2,
}

[GenerateSerializer, Immutable, Alias("broker.renew-outcome")]
public sealed record RenewOutcome([property: Id(0)] RenewKind Kind, [property: Id(1)] RequestSnapshot? Request);
