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

    public static RowWrite Line(Serializer serializer, string requestId, string tenant, DateTimeOffset createdAt, RequestState state) =>
        Line(serializer, requestId, tenant, createdAt, state.ToString(), Table, state);

    /// <summary>A line of the same kind of index over another kind of thing (a tenant's reservations): its own table, tagged with its state's name.</summary>
    public static RowWrite Line(Serializer serializer, string id, string tenant, DateTimeOffset createdAt, string stateTag, string table, RequestState state = default)
    {
        var tracked = new TrackedRequest(id, createdAt, state);
        return RowWrite.Put(new RowKey(table, tenant, RequestCursor.Of(tracked)), serializer.SerializeToArray(tracked), stateTag);
    }

    /// <summary>A page of the tenant's requests, newest first, optionally in one state, after the previous page's cursor.</summary>
    public static Task<RequestPage> ListAsync(IRowStore rows, Serializer serializer, string tenant, RequestState? state, int limit, string? after) =>
        ListAsync(rows, serializer, Table, tenant, state?.ToString(), limit, after);

    /// <summary>A page of one of the tenant's indexes, newest first, only lines tagged <paramref name="tag"/> when given.</summary>
    public static async Task<RequestPage> ListAsync(IRowStore rows, Serializer serializer, string table, string tenant, string? tag, int limit, string? after)
    {
        var found = await rows.PageAsync(table, tenant, tag, after, limit + 1);
        var page = found.Take(limit).Select(r => serializer.Deserialize<TrackedRequest>(r.Payload)!).ToList();
        var next = found.Count > limit ? RequestCursor.Of(page[^1]) : null;
        return new RequestPage(page.Select(r => r.Id).ToArray(), next);
    }
}
