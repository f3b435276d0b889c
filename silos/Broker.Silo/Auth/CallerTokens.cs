using System.Net.Http.Headers;
using Broker.Silo.Portal;

namespace Broker.Silo.Auth;

/// <summary>
/// Where a caller's token is read from. The API takes it only from the <c>Authorization</c> header, which a browser never
/// adds by itself, so the API needs no protection against cross-site requests. Under <c>/portal</c> the token is only the
/// portal's session cookie (<see cref="PortalSession"/>): the same token, authenticated by the same handlers, and the
/// portal's forms carry anti-forgery tokens because a browser does send that cookie by itself.
/// </summary>
public static class CallerTokens
{
    public static string? Read(HttpRequest request) =>
        PortalSession.Covers(request.Path) ? PortalSession.TokenOf(request) : BearerOf(request);

    /// <summary>The token of an <c>Authorization: Bearer</c> header, or null.</summary>
    public static string? BearerOf(HttpRequest request) =>
        AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header)
        && header.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase)
        && !string.IsNullOrEmpty(header.Parameter)
            ? header.Parameter
            : null;

    /// <summary>A JWT has three dot-separated parts; the federation file's tokens are never shaped like that.</summary>
    public static bool LooksLikeJwt(string? token) => token is not null && token.AsSpan().Count('.') == 2;
}
