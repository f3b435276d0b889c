using Broker.Grains.Federation;

namespace Broker.Silo.Portal;

/// <summary>The portal's addresses, in one place so that pages, navigation and redirects agree.</summary>
public static class PortalLinks
{
    public const string Home = PortalSession.Path;
    public const string Catalogue = Home + "/catalogue";
    public const string Order = Home + "/order";
    public const string Requests = Home + "/requests";
    public const string Federation = Home + "/federation";
    public const string Settlement = Home + "/settlement";
    public const string Audit = Home + "/audit";
    public const string SignInPath = Home + "/sign-in";

    public static string SignIn(string? returnUrl = null) =>
        returnUrl is null ? SignInPath : $"{SignInPath}?returnUrl={Uri.EscapeDataString(returnUrl)}";

    /// <summary>The sign-in page's check of the session cookie just set (see <c>Pages/SignIn</c>).</summary>
    public static string SignInCheck(string? returnUrl) => SignInWith("check", returnUrl);

    /// <summary>Back from the identity provider, the session cookie set: on to <see cref="SignInCheck"/> by a navigation of the portal's own.</summary>
    public static string SignInHandOff(string? returnUrl) => SignInWith("handoff", returnUrl);

    /// <summary>The redirect sign-in at the identity provider did not succeed.</summary>
    public const string SignInFailed = SignInPath + "?failed=true";

    /// <summary>Starts the redirect sign-in at the identity provider.</summary>
    public static string SignInAtProvider(string? returnUrl) =>
        SignInPath + "?handler=provider" + (returnUrl is null ? "" : "&returnUrl=" + Uri.EscapeDataString(returnUrl));

    private static string SignInWith(string flag, string? returnUrl) =>
        $"{SignInPath}?{flag}=true" + (IsOwn(returnUrl) ? "&returnUrl=" + Uri.EscapeDataString(returnUrl!) : "");

    public static string Request(string id) => $"{Requests}/{Uri.EscapeDataString(id)}";

    public static string Bill(string tenant) => $"{Home}/tenants/{Uri.EscapeDataString(tenant)}/bill";

    public static string DataCenters(string provider) => $"{Home}/providers/{Uri.EscapeDataString(provider)}/datacenters";

    public static string Statement(string provider) => $"{Home}/providers/{Uri.EscapeDataString(provider)}/statement";

    /// <summary>Where a principal starts: the first page of its navigation.</summary>
    public static string StartOf(Principal caller) => caller.Kind switch
    {
        PrincipalKind.Tenant => Catalogue,
        PrincipalKind.ProviderAdmin => DataCenters(caller.ProviderId!),
        _ => Federation,
    };

    /// <summary>A return address is followed only when it is one of the portal's own pages (no open redirect).</summary>
    public static bool IsOwn(string? url) =>
        url is not null && url.StartsWith(Home, StringComparison.Ordinal) && (url.Length == Home.Length || url[Home.Length] is '/' or '?')
        && !url.Contains("//", StringComparison.Ordinal) && !url.Contains('\\', StringComparison.Ordinal);
}
