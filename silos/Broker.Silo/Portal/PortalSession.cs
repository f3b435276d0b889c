namespace Broker.Silo.Portal;

/// <summary>
/// The portal's session: the caller's token itself in a cookie — HttpOnly (no script reads it), SameSite=Strict (no
/// other site's page sends it), Secure over HTTPS, and scoped to <see cref="Path"/> so that it never reaches the API.
/// Keeping the token rather than a ticket made from it means every page authenticates the token anew, exactly as the
/// API does: a token removed from the federation signs its sessions out at once, and every silo can read the cookie.
/// </summary>
public static class PortalSession
{
    public const string Path = "/portal";
    public const string CookieName = "broker-portal-token";

    /// <summary>Longest token the portal keeps; a JWT of an OpenID Connect issuer is far shorter than a cookie's 4 KiB.</summary>
    public const int MaxTokenLength = 3500;

    public static bool Covers(PathString path) => path.StartsWithSegments(Path, StringComparison.OrdinalIgnoreCase);

    public static string? TokenOf(HttpRequest request) =>
        request.Cookies.TryGetValue(CookieName, out var token) && !string.IsNullOrEmpty(token) ? token : null;

    public static void Start(HttpResponse response, string token) =>
        response.Cookies.Append(CookieName, token, Options(response.HttpContext.Request));

    public static void End(HttpResponse response) =>
        response.Cookies.Delete(CookieName, Options(response.HttpContext.Request));

    /// <summary>A browser session's cookie (no expiry): closing the browser ends it.</summary>
    private static CookieOptions Options(HttpRequest request) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = request.IsHttps,
        Path = Path,
        IsEssential = true,
    };
}
