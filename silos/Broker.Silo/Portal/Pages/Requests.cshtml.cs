using Broker.Contracts;
using Broker.Grains.Storage;
using Broker.Silo.Api;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Orleans.Serialization;

namespace Broker.Silo.Portal.Pages;

/// <summary>The tenant's requests as <c>GET /v1/requests</c> lists them (newest first, a page at a time), with Renew and Release per row.</summary>
[PortalAuthorize(Auth.Callers.TenantPolicy)]
public sealed class RequestsModel(IGrainFactory grains, IRowStore rows, Serializer serializer) : RequestActionsPage(grains)
{
    public const int PageSize = 50;

    [FromQuery(Name = "state")]
    public string? State { get; set; }

    [FromQuery(Name = "after")]
    public string? After { get; set; }

    public IReadOnlyList<RequestResource> Items { get; private set; } = [];

    public string? Next { get; private set; }

    /// <summary>This page's address (its filter and page, not the last notice), to come back to after an action.</summary>
    public string Here => QueryHelpers.AddQueryString(PortalLinks.Requests, new Dictionary<string, string?> { ["state"] = State, ["after"] = After }.Where(p => !string.IsNullOrEmpty(p.Value)));

    public async Task OnGetAsync()
    {
        var state = string.IsNullOrEmpty(State) ? null : State;
        var answer = await RequestsApi.ListAsync(User, Grains, rows, serializer, state, PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture), string.IsNullOrEmpty(After) ? null : After);
        if (Read(answer.Result, out RequestListResource list))
        {
            (Items, Next) = (list.Items, list.Next);
        }
    }

    public static IEnumerable<RequestState> States => Enum.GetValues<RequestState>();

    protected override async Task<IActionResult> RefusedAsync()
    {
        await OnGetAsync();
        return Page();
    }
}
