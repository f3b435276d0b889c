using Broker.Domain;
using Broker.Grains.Storage;
using Broker.Tenants;
using Orleans.Serialization;

namespace Broker.Grains.Tenants;

/// <summary>
/// A tenant's index of its own requests, for listing them newest first: one row per request under the tenant, keyed by
/// its <see cref="RequestCursor"/> position (created-at, id) and tagged with its state. A request's transition rewrites
/// its own line only; a page reads only what it shows.
/// </summary>
public static class TenantRequestIndex
{
    public const string Table = "tenant-request";

    public static RowWrite Line(Serializer serializer, string requestId, string tenant, DateTimeOffset createdAt, RequestState state)
    {
        var tracked = new TrackedRequest(requestId, createdAt, state);
        return RowWrite.Put(new RowKey(Table, tenant, RequestCursor.Of(tracked)), serializer.SerializeToArray(tracked), state.ToString());
    }

    /// <summary>A page of the tenant's requests, newest first, optionally in one state, after the previous page's cursor.</summary>
    public static async Task<RequestPage> ListAsync(IRowStore rows, Serializer serializer, string tenant, RequestState? state, int limit, string? after)
    {
        var found = await rows.PageAsync(Table, tenant, state?.ToString(), after, limit + 1);
        var page = found.Take(limit).Select(r => serializer.Deserialize<TrackedRequest>(r.Payload)!).ToList();
        var next = found.Count > limit ? RequestCursor.Of(page[^1]) : null;
        return new RequestPage(page.Select(r => r.Id).ToArray(), next);
    }
}
