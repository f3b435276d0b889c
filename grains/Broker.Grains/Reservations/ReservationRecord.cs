using Broker.Audit;
using Broker.Requests;
using Broker.Reservations;

namespace Broker.Grains.Reservations;

/// <summary>A reservation as it is persisted: what was asked, for which window, and everything decided since.</summary>
[GenerateSerializer, Alias("broker.reservation-record")]
public sealed class ReservationRecord
{
    [Id(0)] public ReservationState State { get; set; }
    [Id(1)] public string Tenant { get; set; } = "";
    [Id(2)] public string HomeProvider { get; set; } = "";
    /// <summary>The items and constraints; its lease is the window's length, the lease the request gets at start.</summary>
    [Id(3)] public RequestSpec? Spec { get; set; }
    [Id(4)] public DateTimeOffset Start { get; set; }
    [Id(5)] public DateTimeOffset End { get; set; }
    [Id(6)] public DateTimeOffset CreatedAt { get; set; }
    [Id(7)] public DateTimeOffset? DecidedAt { get; set; }
    [Id(8)] public Allocation? Allocation { get; set; }
    [Id(9)] public Rejection? Reason { get; set; }
    [Id(10)] public TraceEntry[] Trace { get; set; } = [];

    /// <summary>The booking at the data center (and, for a partner, under the contract) is this attempt's.</summary>
    [Id(11)] public Guid Attempt { get; set; }

    /// <summary>The request it became, once active.</summary>
    [Id(12)] public string? Request { get; set; }

    /// <summary>Whether the tenant's quota holds the reservation's units (under its request's id) still to be given back or handed on.</summary>
    [Id(13)] public bool QuotaHeld { get; set; }

    [Id(14)] public AuditActor? BookedBy { get; set; }

    [Id(15)] public AuditEvent[] AuditPending { get; set; } = [];

    public string? DataCenter => Allocation?.Parts[0].DataCenter;

    /// <summary>A retry is the same reservation when its spec and window are the same.</summary>
    public static string CanonicalForm(RequestSpec spec, DateTimeOffset start, DateTimeOffset end) =>
        $"{spec.CanonicalForm()};window:{start.UtcTicks}-{end.UtcTicks}";

    public ReservationSnapshot ToSnapshot(string id) => new()
    {
        Id = id,
        Tenant = Tenant,
        State = State,
        Reason = Reason,
        Start = Start,
        End = End,
        Allocation = Allocation,
        Request = Request,
        CreatedAt = CreatedAt,
        Trace = Trace,
        Spec = Spec!,
    };
}
