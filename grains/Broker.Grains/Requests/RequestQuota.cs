using System.Globalization;
using Broker.Domain;
using Broker.Grains.Federation;
using Broker.Requests;
using Broker.Tenants;

namespace Broker.Grains.Requests;

/// <summary>
/// A request's share of its tenant's quotas: reserved before it negotiates (only when a quota concerns one of its
/// classes — no call otherwise), given back when it is rejected or ends. The flag in the record says whether there
/// is a reservation to give back; giving back is idempotent.
/// </summary>
internal static class RequestQuota
{
    /// <summary>Reserves the request's items; the rejection to decide when a quota would be exceeded, else null.</summary>
    public static async Task<Rejection?> ReserveAsync(IGrainFactory grains, string requestId, RequestRecord record, FederationView federation)
    {
        var spec = record.Spec!;
        if (!federation.Tenants.TryGetValue(record.Tenant, out var tenant) || !spec.Items.Any(i => tenant.Quotas.ContainsKey(i.Resource)))
        {
            return null;
        }

        if (!await grains.Reference<ITenantQuotaGrain>(record.Tenant).TryReserveAsync(requestId, spec.Items, tenant.Quotas))
        {
            return new Rejection(RejectionCode.QuotaExceeded, Detail(spec, tenant.Quotas));
        }

        record.QuotaHeld = true;
        return null;
    }

    public static async Task ReleaseAsync(IGrainFactory grains, string requestId, RequestRecord record)
    {
        if (record.QuotaHeld)
        {
            await grains.Reference<ITenantQuotaGrain>(record.Tenant).ReleaseAsync(requestId);
            record.QuotaHeld = false;
        }
    }

    private static string Detail(RequestSpec spec, IReadOnlyDictionary<string, long> quotas) =>
        "the tenant's quota would be exceeded: " + string.Join(", ", spec.Items.Where(i => quotas.ContainsKey(i.Resource))
            .Select(i => string.Create(CultureInfo.InvariantCulture, $"{i.Resource} at most {quotas[i.Resource]} held at once")));
}
