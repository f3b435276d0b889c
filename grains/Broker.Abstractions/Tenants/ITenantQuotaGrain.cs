using Broker.Requests;

namespace Broker.Tenants;

/// <summary>
/// What a tenant holds per resource class against its quotas (key: the tenant id). A request reserves its
/// items before it negotiates and gives them back when it is rejected or ends; releasing is idempotent.
/// </summary>
[Alias("broker.ITenantQuotaGrain")]
public interface ITenantQuotaGrain : IGrainWithStringKey
{
    /// <summary>Reserves the items unless that would take a class over its quota; reserving again with the same id is allowed.</summary>
    [Alias("TryReserveAsync")]
    Task<bool> TryReserveAsync(string requestId, RequestItem[] items, IReadOnlyDictionary<string, long> quotas);

    [Alias("ReleaseAsync")]
    Task ReleaseAsync(string requestId);

    /// <summary>Units held now per resource class.</summary>
    [Alias("InUseAsync")]
    Task<Dictionary<string, long>> InUseAsync();
}
