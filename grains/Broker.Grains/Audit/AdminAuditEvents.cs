using System.Globalization;
using Broker.Audit;
using Broker.DataCenters;
using Broker.Federation;

namespace Broker.Grains.Audit;

/// <summary>The audit trail's events of admin changes: a provider's admin changing a pool, an upsert of the federation.</summary>
public static class AdminAuditEvents
{
    // An upsert may name thousands of providers and tenants: the trail lists the first few and counts the rest.
    private const int IdsListed = 10;

    /// <summary>A pool change that was made or refused (a refusal by the broker's rules is a decision an auditor wants to see too).</summary>
    public static AuditEvent PoolChanged(string dataCenter, string owner, PoolChange change, PoolChangeKind kind, long inUse)
    {
        var by = change.By ?? AuditActor.Broker;
        var asked = string.Create(CultureInfo.InvariantCulture,
            $"total {change.Total}, headroom {Show(change.Headroom)}, price {Show(change.PricePerUnitHour)}/unit-hour");
        var (outcome, detail) = kind switch
        {
            PoolChangeKind.Created => ("created", asked),
            PoolChangeKind.Updated => ("updated", asked),
            PoolChangeKind.InUse => ("refused:capacity-in-use", string.Create(CultureInfo.InvariantCulture, $"{asked}; {inUse} units allocated or held")),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "only a pool change that reached the data center is audited"),
        };
        return new AuditEvent(
            $"{dataCenter}/{change.Resource}/{Guid.NewGuid():N}", AuditActions.PoolChanged, by.Name, by.Credential,
            Tenant: null, Provider: owner, Subject: $"{dataCenter}/{change.Resource}", outcome, detail);
    }

    public static AuditEvent FederationUpserted(long version, FederationDocument change, AuditActor by)
    {
        var dataCenters = change.Providers.Sum(p => p.DataCenters.Length);
        var detail = string.Create(CultureInfo.InvariantCulture,
            $"version {version}: providers {Ids(change.Providers.Select(p => p.Id))}; {dataCenters} data centers; tenants {Ids(change.Tenants.Select(t => t.Id))}; federation admins {change.FederationAdmins.Length}");
        return new AuditEvent($"federation/{version}", AuditActions.FederationUpserted, by.Name, by.Credential,
            Tenant: null, Provider: null, Subject: "federation", "upserted", detail);
    }

    private static string Ids(IEnumerable<string> ids)
    {
        var all = ids.ToArray();
        var listed = string.Join(", ", all.Take(IdsListed));
        return all.Length switch
        {
            0 => "none",
            <= IdsListed => listed,
            _ => string.Create(CultureInfo.InvariantCulture, $"{listed} and {all.Length - IdsListed} more"),
        };
    }

    private static string Show(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "unchanged";

    private static string Show(decimal? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "unchanged";
}
