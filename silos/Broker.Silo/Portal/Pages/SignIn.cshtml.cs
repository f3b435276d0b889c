using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;

namespace Broker.Silo.Portal.Pages;

/// <summary>
/// Sign-in with a token, or at the OpenID Connect issuer when the portal has a client there (<see cref="PortalOidc"/>).
/// Either way only the session cookie is set, and the browser is sent to <c>?check=true</c>: that next request is
/// authenticated by the API's own handlers, exactly as every later page is, and a token they refuse is removed again and
/// answered with 401 — the portal never judges a token itself.
/// </summary>
public sealed class SignInModel(IAuthenticationSchemeProvider schemes) : PortalPage
{
    [FromQuery(Name = "returnUrl")]
    public string? ReturnUrl { get; set; }

    public string? Refusal { get; private set; }

    /// <summary>The start of the redirect sign-in, when the portal has a client at the issuer.</summary>
    public string? ProviderSignIn { get; private set; }

    /// <summary>Back from the issuer: the page that sends the browser on to the check (<see cref="OnGetAsync"/>).</summary>
    public string? HandOff { get; private set; }

    public async Task<IActionResult> OnGetAsync(bool check, bool handoff, bool failed)
    {
        ReturnUrl = PortalLinks.IsOwn(ReturnUrl) ? ReturnUrl : null;
        if (Caller is { } caller)
        {
            return Redirect(ReturnUrl ?? PortalLinks.StartOf(caller));
        }

        if (handoff)
        {
            // The issuer's redirect back is a navigation from another site, and so is every redirect after it: the
            // browser does not send the (SameSite=Strict) session cookie on them. A refresh from this page is a
            // navigation of the portal's own, on which it does.
            HandOff = PortalLinks.SignInCheck(ReturnUrl);
            return Page();
        }

        if (check || failed)
        {
            PortalSession.End(Response);
            Refusal = check ? T.TokenRefused : T.ProviderSignInFailed;
            Response.StatusCode = StatusCodes.Status401Unauthorized;
        }

        await OfferProviderAsync();
        return Page();
    }

    /// <summary>A link (not a form: the portal's forms may only post to the portal itself, also after a redirect) to the issuer.</summary>
    public async Task<IActionResult> OnGetProviderAsync()
    {
        ReturnUrl = PortalLinks.IsOwn(ReturnUrl) ? ReturnUrl : null;
        return await schemes.GetSchemeAsync(PortalOidc.SchemeName) is null ? NotFound() : PortalOidc.Start(ReturnUrl);
    }

    public async Task<IActionResult> OnPostAsync(string? token, string? returnUrl)
    {
        ReturnUrl = PortalLinks.IsOwn(returnUrl) ? returnUrl : null;
        token = token?.Trim();
        if (string.IsNullOrEmpty(token) || token.Length > PortalSession.MaxTokenLength)
        {
            Refusal = string.IsNullOrEmpty(token) ? T.TokenMissing : T.TokenRefused;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            await OfferProviderAsync();
            return Page();
        }

        PortalSession.Start(Response, token);
        return Redirect(PortalLinks.SignInCheck(ReturnUrl));
    }

    private async Task OfferProviderAsync()
    {
        if (await schemes.GetSchemeAsync(PortalOidc.SchemeName) is not null)
        {
            ProviderSignIn = PortalLinks.SignInAtProvider(ReturnUrl);
        }
    }
}
