using Microsoft.AspNetCore.Mvc;

namespace Broker.Silo.Portal.Pages;

/// <summary>Ends the session: the cookie with the token is removed (a form, so that no link can sign anyone out).</summary>
public sealed class SignOutModel : PortalPage
{
    public IActionResult OnGet() => Redirect(PortalLinks.Home);

    public IActionResult OnPost()
    {
        PortalSession.End(Response);
        return Redirect(PortalLinks.SignIn());
    }
}
