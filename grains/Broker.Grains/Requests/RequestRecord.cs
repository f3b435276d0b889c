using Broker.Audit;
using Broker.Domain;
using Broker.Requests;

namespace Broker.Grains.Requests;

/// <summary>A request as it is persisted: the spec it was created with and everything decided since.</summary>
[GenerateSerializer, Alias("broker.request-record")]
public sealed class RequestRecord
{
    [Id(0)] public RequestState State { get; set; }
    [Id(1)] public string Tenant { get; set; } = "";
    [Id(2)] public string HomeProvider { get; set; } = "";
    [Id(3)] public RequestSpec? Spec { get; set; }
    // Id 4 held the spec's canonical form; a retry is now compared with the stored spec itself, saving its copy per request.
    [Id(5)] public DateTimeOffset CreatedAt { get; set; }
    [Id(6)] public DateTimeOffset? DecidedAt { get; set; }
    [Id(7)] public DateTimeOffset? EndedAt { get; set; }
    [Id(8)] public DateTimeOffset? LeaseExpiresAt { get; set; }
    [Id(9)] public Allocation? Allocation { get; set; }
    [Id(10)] public Rejection? Reason { get; set; }
    [Id(11)] public TraceEntry[] Trace { get; set; } = [];
    /// <summary>Whether the capacity went back and the charges were posted after the request ended; redone on activation if not.</summary>
    [Id(12)] public bool Settled { get; set; }
    /// <summary>Confirms sent (or about to be) during the current negotiation: the intent log.</summary>
    [Id(13)] public PendingConfirm[] Pending { get; set; } = [];

    /// <summary>Whether the tenant's quota grain holds a reservation for this request that is still to be given back.</summary>
    [Id(14)] public bool QuotaHeld { get; set; }

    /// <summary>Who submitted the request: the actor of its decision in the audit trail.</summary>
    [Id(15)] public AuditActor? SubmittedBy { get; set; }

    /// <summary>
    /// Audit events stored with the transition they record and not yet known to be in the trail: sent again
    /// on the next call or activation until a chain has acknowledged them.
    /// </summary>
    [Id(16)] public AuditEvent[] AuditPending { get; set; } = [];

    /// <summary>Where drains moved the allocation, oldest first; the last one's moment starts the stretch still to be charged.</summary>
    [Id(17)] public RequestMove[] Moves { get; set; } = [];

    /// <summary>Since when the allocation as it is now has been held: the decision, or the last move.</summary>
    public DateTimeOffset? HeldSince => Moves.Length > 0 ? Moves[^1].At : DecidedAt;

    /// <summary>Stretches charged so far, one per move: the number of the stretch the allocation is in now.</summary>
    [Id(18)] public int Stretch { get; set; }

    public bool IsDecided => State is not (RequestState.None or RequestState.Negotiating);

    public RequestSnapshot ToSnapshot(string id) => new()
    {
        Id = id,
        Tenant = Tenant,
        State = State,
        Reason = Reason,
        Allocation = Allocation,
        LeaseExpiresAt = LeaseExpiresAt,
        CreatedAt = CreatedAt,
        DecidedAt = DecidedAt,
        EndedAt = EndedAt,
        Trace = Trace,
        Spec = Spec!,
        Moves = Moves,
    };
}
