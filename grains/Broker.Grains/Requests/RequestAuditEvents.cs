using System.Globalization;
using Broker.Audit;
using Broker.Domain;
using Broker.Grains.Negotiation;
using Broker.Requests;

namespace Broker.Grains.Requests;

/// <summary>
/// The audit trail's events of a request's life: its decision, each renewal, and its end. Event ids are
/// fixed by the request and the step, so sending one again after a failure is recognised as a repeat.
/// </summary>
internal static class RequestAuditEvents
{
    public static AuditEvent Decided(string id, RequestRecord record) => record.Allocation is { } allocation
        ? Event($"{id}/decided", AuditActions.RequestDecided, record.SubmittedBy, id, record, "allocated", $"{Parts(allocation)}; lease until {Instant(record.LeaseExpiresAt)}")
        : Event($"{id}/decided", AuditActions.RequestDecided, record.SubmittedBy, id, record, $"rejected:{Wire.Kebab(record.Reason!.Code)}", record.Reason.Detail);

    public static AuditEvent Renewed(string id, RequestRecord record, AuditActor by) => Event(
        $"{id}/renewed/{record.LeaseExpiresAt!.Value.UtcTicks}", AuditActions.RequestRenewed, by, id, record,
        "renewed", $"lease until {Instant(record.LeaseExpiresAt)}");

    /// <summary>A drain's move of the part at <paramref name="from"/>: the broker's own act, once per move (the stretch numbers it).</summary>
    public static AuditEvent Moved(string id, RequestRecord record, string from, IEnumerable<string> to, Allocation before) => Event(
        string.Create(CultureInfo.InvariantCulture, $"{id}/moved/{record.Stretch}"), AuditActions.RequestMoved, AuditActor.Broker, id, record,
        "moved", $"from {from} to {string.Join(", ", to)} (drain) at {Instant(record.HeldSince)}; before: {Parts(before)}; now: {Parts(record.Allocation!)}; lease until {Instant(record.LeaseExpiresAt)}");

    /// <summary>A release (by <paramref name="by"/>) or an expiry (by the broker).</summary>
    public static AuditEvent Ended(string id, RequestRecord record, AuditActor by) => record.State == RequestState.Released
        ? Event($"{id}/released", AuditActions.RequestReleased, by, id, record, "released", $"{Parts(record.Allocation!)}; held from {Instant(record.DecidedAt)} to {Instant(record.EndedAt)}")
        : Event($"{id}/expired", AuditActions.RequestExpired, by, id, record, "expired", $"{Parts(record.Allocation!)}; lease ended {Instant(record.EndedAt)}");

    private static AuditEvent Event(string eventId, string action, AuditActor? by, string id, RequestRecord record, string outcome, string detail) =>
        new(eventId, action, (by ?? AuditActor.Broker).Name, by?.Credential, record.Tenant, record.HomeProvider, id, outcome, detail);

    internal static string Parts(Allocation allocation) =>
        $"tier {Wire.Kebab(allocation.Tier)}: " + string.Join(", ", allocation.Parts.Select(p =>
            string.Create(CultureInfo.InvariantCulture, $"{p.Amount} {p.Resource} at {p.DataCenter} ({p.Provider}, {p.PricePerUnitHour}/unit-hour)")));

    internal static string Instant(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "-";
}
