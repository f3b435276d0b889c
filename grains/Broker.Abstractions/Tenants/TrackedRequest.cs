using Broker.Domain;

namespace Broker.Tenants;

/// <summary>A request as the tenant's index lists it: where it sorts (created-at, id) and its state.</summary>
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

    public static IEnumerable<TrackedRequest> NewestFirst(IEnumerable<TrackedRequest> requests) =>
        requests.OrderByDescending(r => r.CreatedAt.UtcTicks).ThenByDescending(r => r.Id, StringComparer.Ordinal);

    /// <summary>Whether <paramref name="request"/> comes after <paramref name="position"/> in newest-first order.</summary>
    public static bool IsAfter(TrackedRequest request, (long Ticks, string Id) position) =>
        request.CreatedAt.UtcTicks < position.Ticks
        || (request.CreatedAt.UtcTicks == position.Ticks && string.CompareOrdinal(request.Id, position.Id) < 0);
}
