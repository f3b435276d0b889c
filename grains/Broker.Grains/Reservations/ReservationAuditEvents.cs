using Broker.Audit;
using Broker.Grains.Negotiation;
using Broker.Grains.Requests;
using Broker.Requests;

namespace Broker.Grains.Reservations;

/// <summary>The audit trail's events of a reservation: its decision, its start (the request it became), its cancellation.</summary>
internal static class ReservationAuditEvents
{
    public static AuditEvent Decided(string id, ReservationRecord record) => record.Allocation is { } allocation
        ? Event($"{id}/decided", AuditActions.ReservationDecided, record.BookedBy, id, record, "confirmed", $"{Parts(allocation)}; window {Window(record)}")
        : Event($"{id}/decided", AuditActions.ReservationDecided, record.BookedBy, id, record, $"rejected:{Wire.Kebab(record.Reason!.Code)}", $"window {Window(record)}: {record.Reason.Detail}");

    public static AuditEvent Started(string id, ReservationRecord record) =>
        Event($"{id}/started", AuditActions.ReservationStarted, AuditActor.Broker, id, record, "started", $"request {record.Request} allocated until {Instant(record.End)}");

    public static AuditEvent Cancelled(string id, ReservationRecord record, AuditActor by) =>
        Event($"{id}/cancelled", AuditActions.ReservationCancelled, by, id, record, "cancelled", $"before its start; window {Window(record)} given back");

    private static AuditEvent Event(string eventId, string action, AuditActor? by, string id, ReservationRecord record, string outcome, string detail) =>
        new(eventId, action, (by ?? AuditActor.Broker).Name, by?.Credential, record.Tenant, record.HomeProvider, id, outcome, detail);

    private static string Window(ReservationRecord record) => $"{Instant(record.Start)} to {Instant(record.End)}";

    private static string Parts(Allocation allocation) => RequestAuditEvents.Parts(allocation);

    private static string Instant(DateTimeOffset? at) => RequestAuditEvents.Instant(at);
}
