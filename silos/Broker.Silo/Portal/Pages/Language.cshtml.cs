using Microsoft.AspNetCore.Mvc;

namespace Broker.Silo.Portal.Pages;

/// <summary>The language switch: remembers the choice in a cookie and goes back to the page it came from.</summary>
public sealed class LanguageModel : PortalPage
{
    public IActionResult OnGet() => Redirect(PortalLinks.Home);

    public IActionResult OnPost(string? lang, string? returnUrl)
    {
        if (lang is not null && PortalText.Languages.Contains(lang))
        {
            PortalServices.ChooseLanguage(Response, lang);
        }

        return Redirect(PortalLinks.IsOwn(returnUrl) ? returnUrl! : PortalLinks.Home);
    }
}
