namespace Broker.Audit;

/// <summary>
/// Something the audit trail must keep: who did what to which subject, and how it came out. The chain it
/// lands in gives it a position, a time and a hash (<see cref="AuditEntry"/>).
/// </summary>
/// <param name="EventId">
/// The same for every attempt to record the same event (a request's decision, a lease's end …), so that a
/// chain recognises a repeat sent after a failure instead of recording it twice.
/// </param>
/// <param name="Action">What happened: one of <see cref="AuditActions"/>.</param>
/// <param name="Actor">Who did it: <c>tenant:{id}</c>, <c>provider-admin:{id}</c>, <c>federation-admin</c> or <c>broker</c>.</param>
/// <param name="Credential">Which credential the actor used (a token's hash prefix or a JWT subject); null for the broker itself.</param>
/// <param name="Tenant">The tenant whose request it concerns; null for admin changes.</param>
/// <param name="Provider">The provider concerned: the tenant's home provider, or the provider whose data center was changed.</param>
/// <param name="Subject">What it was done to: a request id, <c>{dataCenter}/{resource}</c>, or <c>federation</c>.</param>
/// <param name="Outcome">How it came out, short and stable: <c>allocated</c>, <c>rejected:no-capacity</c>, <c>released</c> …</param>
/// <param name="Detail">The particulars a person reads: amounts, data centers, lease ends, prices.</param>
[GenerateSerializer, Immutable, Alias("broker.audit-event")]
public sealed record AuditEvent(
    [property: Id(0)] string EventId,
    [property: Id(1)] string Action,
    [property: Id(2)] string Actor,
    [property: Id(3)] string? Credential,
    [property: Id(4)] string? Tenant,
    [property: Id(5)] string? Provider,
    [property: Id(6)] string Subject,
    [property: Id(7)] string Outcome,
    [property: Id(8)] string Detail);

/// <summary>The actions the audit trail records.</summary>
public static class AuditActions
{
    public const string RequestDecided = "request.decided";
    public const string RequestRenewed = "request.renewed";
    public const string RequestReleased = "request.released";
    public const string RequestExpired = "request.expired";
    public const string PoolChanged = "pool.changed";
    public const string FederationUpserted = "federation.upserted";

    /// <summary>A drain moved a request's allocation, make-before-break.</summary>
    public const string RequestMoved = "request.moved";
    public const string DrainStarted = "drain.started";
    public const string DrainStopped = "drain.stopped";
    public const string ReservationDecided = "reservation.decided";
    public const string ReservationStarted = "reservation.started";
    public const string ReservationCancelled = "reservation.cancelled";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        RequestDecided, RequestRenewed, RequestReleased, RequestExpired, PoolChanged, FederationUpserted,
        RequestMoved, DrainStarted, DrainStopped, ReservationDecided, ReservationStarted, ReservationCancelled,
    };
}

/// <summary>Who acted, as the audit trail names them.</summary>
[GenerateSerializer, Immutable, Alias("broker.audit-actor")]
public sealed record AuditActor([property: Id(0)] string Name, [property: Id(1)] string? Credential)
{
    /// <summary>The broker acting on its own, as when a lease runs out.</summary>
    public static readonly AuditActor Broker = new("broker", null);
}
