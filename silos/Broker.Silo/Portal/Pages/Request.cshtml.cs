using Broker.Contracts;
using Broker.Silo.Api;
using Microsoft.AspNetCore.Mvc;

namespace Broker.Silo.Portal.Pages;

/// <summary>One request as <c>GET /v1/requests/{id}</c> answers it: the decision, where it runs, its price and the trace.</summary>
[PortalAuthorize(Auth.Callers.TenantPolicy)]
public sealed class RequestModel(IGrainFactory grains) : RequestActionsPage(grains)
{
    [FromRoute(Name = "id")]
    public string Id { get; set; } = "";

    public RequestResource? Shown { get; private set; }

    public async Task OnGetAsync()
    {
        if (Read((await RequestsApi.GetAsync(Id, User, Grains)).Result, out RequestResource request))
        {
            Shown = request;
        }
    }

    protected override async Task<IActionResult> RefusedAsync()
    {
        await OnGetAsync();
        return Page();
    }
}
