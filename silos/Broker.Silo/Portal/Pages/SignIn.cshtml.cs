using Microsoft.AspNetCore.Mvc;

namespace Broker.Silo.Portal.Pages;

/// <summary>
/// Sign-in with a token. The form only stores the token in the session cookie and sends the browser to
/// <c>?check=true</c>: that next request is authenticated by the API's own handlers, exactly as every later page is, and a
/// token they refuse is removed again and answered with 401 — the portal never judges a token itself.
/// </summary>
public sealed class SignInModel : PortalPage
{
    [FromQuery(Name = "returnUrl")]
    public string? ReturnUrl { get; set; }

    public string? Refusal { get; private set; }

    public IActionResult OnGet(bool check)
    {
        ReturnUrl = PortalLinks.IsOwn(ReturnUrl) ? ReturnUrl : null;
        if (Caller is { } caller)
        {
            return Redirect(ReturnUrl ?? PortalLinks.StartOf(caller));
        }

        if (check)
        {
            PortalSession.End(Response);
            Refusal = T.TokenRefused;
            Response.StatusCode = StatusCodes.Status401Unauthorized;
        }

        return Page();
    }

    public IActionResult OnPost(string? token, string? returnUrl)
    {
        ReturnUrl = PortalLinks.IsOwn(returnUrl) ? returnUrl : null;
        token = token?.Trim();
        if (string.IsNullOrEmpty(token) || token.Length > PortalSession.MaxTokenLength)
        {
            Refusal = string.IsNullOrEmpty(token) ? T.TokenMissing : T.TokenRefused;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        PortalSession.Start(Response, token);
        return Redirect(PortalLinks.SignInPath + "?check=true" + (ReturnUrl is null ? "" : "&returnUrl=" + Uri.EscapeDataString(ReturnUrl)));
    }
}
