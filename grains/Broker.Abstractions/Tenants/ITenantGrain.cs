using Broker.Domain;

namespace Broker.Tenants;

/// <summary>
/// One shard of a tenant's index of its own requests, for listing them newest first. Key:
/// <see cref="TenantIndex.Key"/>; read the whole index with <see cref="TenantIndex.ListAsync"/>.
/// </summary>
[Alias("broker.ITenantGrain")]
public interface ITenantGrain : IGrainWithStringKey
{
    /// <summary>Records a request or its new state.</summary>
    [Alias("TrackAsync")]
    Task TrackAsync(TrackedRequest request);

    /// <summary>
    /// Up to <paramref name="limit"/> of this shard's requests, newest first, optionally only in <paramref name="state"/>,
    /// starting after <paramref name="after"/>, the previous page's <see cref="RequestCursor"/>.
    /// </summary>
    [Alias("ListAsync")]
    Task<TrackedRequest[]> ListAsync(RequestState? state, int limit, string? after);
}

[GenerateSerializer, Immutable, Alias("broker.tracked-request")]
public sealed record TrackedRequest(
    [property: Id(0)] string Id,
    [property: Id(1)] DateTimeOffset CreatedAt,
    [property: Id(2)] RequestState State);

[GenerateSerializer, Immutable, Alias("broker.request-page")]
public sealed record RequestPage([property: Id(0)] string[] Ids, [property: Id(1)] string? Next);

/// <summary>
/// A tenant's request index, spread over <see cref="Shards"/> grains by request id: a grain's state is
/// written whole on every change, so one grain per tenant would make each request slower than the last.
/// </summary>
public static class TenantIndex
{
    /// <summary>Changing it orphans the indexes already written.</summary>
    public const int Shards = 16;

    public static string Key(string tenant, string requestId) => $"{tenant}:{StableShard.Of(requestId, Shards):D2}";

    /// <summary>A page of the tenant's requests, newest first, merged from every shard.</summary>
    public static async Task<RequestPage> ListAsync(IGrainFactory grains, string tenant, RequestState? state, int limit, string? after)
    {
        var shards = await Task.WhenAll(Enumerable.Range(0, Shards).Select(shard =>
            grains.GetGrain<ITenantGrain>($"{tenant}:{shard:D2}").ListAsync(state, limit + 1, after)));
        var ordered = RequestCursor.NewestFirst(shards.SelectMany(s => s)).Take(limit + 1).ToList();
        var page = ordered.Take(limit).ToList();
        var next = ordered.Count > limit ? RequestCursor.Of(page[^1]) : null;
        return new RequestPage(page.Select(r => r.Id).ToArray(), next);
    }
}

/// <summary>
/// An opaque page cursor: the position (created-at, id) of the last request of a page. Positions, not
/// ids, so a page boundary holds even when that request's state no longer matches the filter.
/// </summary>
public static class RequestCursor
{
    public static string Of(TrackedRequest request) => $"{request.CreatedAt.UtcTicks:D19}.{request.Id}";

    public static bool TryParse(string cursor, out (long Ticks, string Id) position)
    {
        position = default;
        var dot = cursor.IndexOf('.');
        if (dot != 19 || !long.TryParse(cursor.AsSpan(0, dot), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ticks) || dot == cursor.Length - 1)
        {
            return false;
        }

        position = (ticks, cursor[(dot + 1)..]);
        return true;
    }

    public static IEnumerable<TrackedRequest> NewestFirst(IEnumerable<TrackedRequest> requests) =>
        requests.OrderByDescending(r => r.CreatedAt.UtcTicks).ThenByDescending(r => r.Id, StringComparer.Ordinal);

    /// <summary>Whether <paramref name="request"/> comes after <paramref name="position"/> in newest-first order.</summary>
    public static bool IsAfter(TrackedRequest request, (long Ticks, string Id) position) =>
        request.CreatedAt.UtcTicks < position.Ticks
        || (request.CreatedAt.UtcTicks == position.Ticks && string.CompareOrdinal(request.Id, position.Id) < 0);
}
