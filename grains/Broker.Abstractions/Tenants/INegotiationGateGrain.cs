namespace Broker.Tenants;

/// <summary>
/// How many of one tenant's requests negotiate at once (key: the tenant id). A request enters before it is
/// accepted and leaves once decided; a tenant at its cap gets <c>429 too-many-negotiations</c>, so one
/// authority's burst cannot occupy every data center's holds. Kept in memory: after a silo failure the count
/// starts afresh, and an entry not left within a few minutes is forgotten.
/// </summary>
[Alias("broker.INegotiationGateGrain")]
public interface INegotiationGateGrain : IGrainWithStringKey
{
    /// <summary>Whether the request may negotiate; entering again with the same id is allowed.</summary>
    [Alias("TryEnterAsync")]
    Task<bool> TryEnterAsync(string requestId, int limit);

    [Alias("LeaveAsync")]
    Task LeaveAsync(string requestId);

    [Alias("CountAsync")]
    Task<int> CountAsync();
}
