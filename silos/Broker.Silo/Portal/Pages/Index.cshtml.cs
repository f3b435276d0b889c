using Microsoft.AspNetCore.Mvc;

namespace Broker.Silo.Portal.Pages;

/// <summary><c>/portal</c>: the signed-in principal's first page, or the sign-in page.</summary>
public sealed class IndexModel : PortalPage
{
    public IActionResult OnGet() => Redirect(Caller is { } caller ? PortalLinks.StartOf(caller) : PortalLinks.SignIn());
}
