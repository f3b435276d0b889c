using Broker.Domain;

namespace Broker.Tenants;

/// <summary>A tenant's index of its own requests, for listing them newest first. Key: the tenant id.</summary>
[Alias("broker.ITenantGrain")]
public interface ITenantGrain : IGrainWithStringKey
{
    /// <summary>Records a request or its new state.</summary>
    [Alias("TrackAsync")]
    Task TrackAsync(TrackedRequest request);

    /// <summary>
    /// Up to <paramref name="limit"/> request ids, newest first, optionally only in <paramref name="state"/>,
    /// starting after <paramref name="after"/>, the previous page's <see cref="RequestCursor"/>.
    /// </summary>
    [Alias("ListAsync")]
    Task<RequestPage> ListAsync(RequestState? state, int limit, string? after);
}

[GenerateSerializer, Immutable, Alias("broker.tracked-request")]
public sealed record TrackedRequest(
    [property: Id(0)] string Id,
    [property: Id(1)] DateTimeOffset CreatedAt,
    [property: Id(2)] RequestState State);

[GenerateSerializer, Immutable, Alias("broker.request-page")]
public sealed record RequestPage([property: Id(0)] string[] Ids, [property: Id(1)] string? Next);

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

    /// <summary>Whether <paramref name="request"/> comes after <paramref name="position"/> in newest-first order.</summary>
    public static bool IsAfter(TrackedRequest request, (long Ticks, string Id) position) =>
        request.CreatedAt.UtcTicks < position.Ticks
        || (request.CreatedAt.UtcTicks == position.Ticks && string.CompareOrdinal(request.Id, position.Id) < 0);
}
