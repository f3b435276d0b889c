using System.Globalization;
using Broker.Audit;
using Broker.DataCenters;

namespace Broker.Grains.DataCenters.Drain;

/// <summary>The audit trail's events of a drain: its start and its end, by whom. Each move is the moved request's own event.</summary>
internal static class DrainAuditEvents
{
    public static AuditEvent Started(string dataCenter, string? owner, DrainRecord drain, AuditActor by) => new(
        string.Create(CultureInfo.InvariantCulture, $"{dataCenter}/drain/{drain.Number}/started"), AuditActions.DrainStarted, by.Name, by.Credential,
        Tenant: null, Provider: owner, Subject: dataCenter, "started", $"reason: {drain.Reason ?? "none given"}");

    public static AuditEvent Stopped(string dataCenter, string? owner, DrainRecord drain, DrainStatus ended, AuditActor by) => new(
        string.Create(CultureInfo.InvariantCulture, $"{dataCenter}/drain/{drain.Number}/stopped"), AuditActions.DrainStopped, by.Name, by.Credential,
        Tenant: null, Provider: owner, Subject: dataCenter, "stopped",
        string.Create(CultureInfo.InvariantCulture, $"moved {ended.Moved}, {ended.Remaining} left there ({ended.Stuck.Length} stuck)"));
}
