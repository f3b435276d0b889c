using System.Globalization;
using Broker.Silo.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Localization;

namespace Broker.Silo.Portal;

/// <summary>
/// The Cloud Service Portal at <c>/portal</c>: Razor Pages rendered on the server, every action a plain HTML form (no
/// script on any page), in English and German. Its pages call the API's own handlers with the caller's principal, so
/// what a person may see and do there is exactly what the same token may through the API.
/// </summary>
public static class PortalServices
{
    private const string LanguageCookie = "broker-portal-language";
    private const string StyleSheet = PortalSession.Path + "/portal.css";

    // No script at all; styles only from the portal's sheet; forms post only to the portal itself.
    private const string ContentSecurityPolicy =
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static IServiceCollection AddBrokerPortal(this IServiceCollection services)
    {
        // The silo's own assembly holds the pages, also when a test host (not the silo) is the entry assembly.
        services.AddRazorPages(pages => pages.RootDirectory = "/Portal/Pages").AddApplicationPart(typeof(PortalServices).Assembly);
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, PortalAuthenticationHandler>(
                PortalAuthenticationHandler.SchemeName, portal => portal.ForwardAuthenticate = AuthServiceCollectionExtensions.SelectorScheme);
        services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.Name = "broker-portal-antiforgery";
            antiforgery.Cookie.Path = PortalSession.Path;
            antiforgery.Cookie.SameSite = SameSiteMode.Strict;
            antiforgery.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        return services;
    }

    /// <summary>Under <c>/portal</c> only: the reader's language, HTML pages for error statuses, and the portal's security headers.</summary>
    public static IApplicationBuilder UseBrokerPortal(this IApplicationBuilder app) =>
        app.UseWhen(context => PortalSession.Covers(context.Request.Path), portal =>
        {
            portal.Use(async (context, next) =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "same-origin";
                headers.CacheControl = context.Request.Path == StyleSheet ? "public, max-age=3600" : "no-store";
                await next(context);
            });
            portal.UseStatusCodePagesWithReExecute(PortalSession.Path + "/status/{0}");
            var cultures = PortalText.Languages.Select(CultureInfo.GetCultureInfo).ToList();
            portal.UseRequestLocalization(new RequestLocalizationOptions
            {
                DefaultRequestCulture = new RequestCulture(PortalText.English.Lang),
                SupportedCultures = cultures,
                SupportedUICultures = cultures,
                RequestCultureProviders = [new CookieRequestCultureProvider { CookieName = LanguageCookie }, new AcceptLanguageHeaderRequestCultureProvider()],
            });
        });

    public static IEndpointRouteBuilder MapBrokerPortal(this IEndpointRouteBuilder app)
    {
        var css = ReadStyleSheet();
        app.MapGet(StyleSheet, () => Results.Text(css, "text/css; charset=utf-8")).ExcludeFromDescription();
        app.MapRazorPages();
        return app;
    }

    /// <summary>Remembers the reader's choice of language for this browser (a year; the cookie says nothing else).</summary>
    public static void ChooseLanguage(HttpResponse response, string language) =>
        response.Cookies.Append(
            LanguageCookie,
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(language)),
            new CookieOptions { Path = PortalSession.Path, SameSite = SameSiteMode.Strict, Secure = response.HttpContext.Request.IsHttps, HttpOnly = true, MaxAge = TimeSpan.FromDays(365), IsEssential = true });

    private static string ReadStyleSheet()
    {
        using var stream = typeof(PortalServices).Assembly.GetManifestResourceStream("Broker.Silo.Portal.portal.css")
            ?? throw new InvalidOperationException("the portal's style sheet is not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
