using Broker.Contracts;
using Broker.Grains.Federation;
using Broker.Silo.Api;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Broker.Silo.Portal.Pages;

/// <summary>
/// A provider's data centers and pools as <c>GET /v1/providers/{id}/datacenters</c> answers them, a utilisation chart per
/// data center, and for the provider's own admins the pool form, which goes through <c>PUT /v1/datacenters/{dc}/pools/{resource}</c>'s handler.
/// </summary>
[PortalAuthorize]
public sealed class DataCentersModel(FederationRegistry federation, IGrainFactory grains) : PortalPage
{
    [FromRoute(Name = "provider")]
    public string Provider { get; set; } = "";

    public IReadOnlyList<DataCenterResource> DataCenters { get; private set; } = [];

    /// <summary>Only the provider's own admins may change its pools (the API refuses anyone else); the form is shown only to them.</summary>
    public bool MayChange => Caller is { Kind: PrincipalKind.ProviderAdmin } caller && caller.ProviderId == Provider;

    public async Task OnGetAsync()
    {
        if (Read((await FederationApi.GetProviderDataCentersAsync(Provider, User, federation, grains)).Result, out DataCenterResource[] dataCenters))
        {
            DataCenters = dataCenters;
        }
    }

    public async Task<IActionResult> OnPostPoolAsync(string dc, string resource, string? total, string? headroom, string? price)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var body = new PoolChangeBody
        {
            Total = Whole(total, "total", errors),
            Headroom = Whole(headroom, "headroom", errors),
            PricePerUnitHour = PortalFormat.ParseDecimal(price, out var readable),
        };
        if (!readable)
        {
            errors["pricePerUnitHour"] = ["must be a number of EUR, such as 0.00012"];
        }

        var answer = errors.Count > 0 ? Problems.Invalid(errors) : (await FederationApi.ChangePoolAsync(dc, resource?.Trim() ?? "", body, User, federation, grains)).Result;
        if (Read(answer, out PoolResource _))
        {
            return RedirectWithNotice(PortalLinks.DataCenters(Provider), answer is Created<PoolResource> ? Notices.PoolAdded : Notices.PoolChanged);
        }

        var status = Response.StatusCode;
        await OnGetAsync();
        Response.StatusCode = status;
        return Page();
    }

    private static long? Whole(string? text, string field, Dictionary<string, string[]> errors)
    {
        var value = PortalFormat.ParseWhole(text, out var readable);
        if (!readable)
        {
            errors[field] = ["must be a whole number"];
        }

        return value;
    }
}
