using Broker.Contracts;
using Broker.Silo.Api;
using Microsoft.AspNetCore.Mvc;

namespace Broker.Silo.Portal.Pages;

/// <summary>Renew and Release as the pages that list or show requests offer them: through the API's own handlers.</summary>
public abstract class RequestActionsPage(IGrainFactory grains) : PortalPage
{
    protected IGrainFactory Grains => grains;

    /// <summary>Renews for the request's own lease once more, from now.</summary>
    public async Task<IActionResult> OnPostRenewAsync(string id, string? lease, string? returnUrl)
    {
        var answer = await RequestsApi.RenewLeaseAsync(id, new RenewBody { Lease = lease }, User, grains);
        return Read(answer.Result, out RequestResource _) ? RedirectWithNotice(Back(returnUrl, id), Notices.Renewed) : await RefusedAsync();
    }

    public async Task<IActionResult> OnPostReleaseAsync(string id, string? returnUrl)
    {
        var answer = await RequestsApi.ReleaseAsync(id, User, grains);
        return Read(answer.Result, out RequestResource _) ? RedirectWithNotice(Back(returnUrl, id), Notices.Released) : await RefusedAsync();
    }

    /// <summary>The page again, showing what the API refused (with its status).</summary>
    protected abstract Task<IActionResult> RefusedAsync();

    private static string Back(string? returnUrl, string id) => PortalLinks.IsOwn(returnUrl) ? returnUrl! : PortalLinks.Request(id);
}
