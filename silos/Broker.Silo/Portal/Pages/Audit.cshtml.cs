using Broker.Contracts;
using Broker.Grains;
using Broker.Grains.Audit;
using Broker.Silo.Api;
using Broker.Silo.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Broker.Silo.Portal.Pages;

/// <summary>
/// The audit trail as <c>GET /v1/audit</c> answers it to the caller, with its filters, and the Verify button of
/// <c>GET /v1/audit/verify</c>, which only the federation admin may press (the API's policy decides).
/// </summary>
[PortalAuthorize]
public sealed class AuditModel(IGrainFactory grains, AuditVerifier verifier, IAuthorizationService authorization, [FromKeyedServices(BrokerTime.Key)] TimeProvider time) : PortalPage
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true)]
    public AuditFilter Filter { get; set; } = new();

    public IReadOnlyList<AuditEntryResource> Entries { get; private set; } = [];

    public string? Next { get; private set; }

    public AuditVerificationResource? Verification { get; private set; }

    public async Task OnGetAsync()
    {
        var parameters = new AuditListParameters(Filter.Tenant, Filter.Provider, Filter.Action, Filter.Subject, Filter.Actor, Filter.From, Filter.To, PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture), Filter.After);
        if (Read((await AuditApi.ListAsync(parameters, User, grains)).Result, out AuditListResource page))
        {
            (Entries, Next) = (page.Items, page.Next);
        }
    }

    public async Task<IActionResult> OnPostVerifyAsync()
    {
        if (!(await authorization.AuthorizeAsync(User, Callers.FederationAdminPolicy)).Succeeded)
        {
            return Forbid(PortalAuthenticationHandler.SchemeName);
        }

        if (Read((await AuditApi.VerifyAsync(null, verifier, time)).Result, out AuditVerificationResource verification))
        {
            Verification = verification;
        }

        await OnGetAsync();
        return Page();
    }

    public AuditChainResource? FirstBroken => Verification?.Chains.Where(c => !c.Valid).OrderBy(c => c.Chain).FirstOrDefault();

    /// <summary>The link to the next (older) page with the same filters.</summary>
    public string OlderLink(string next) => Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(
        PortalLinks.Audit,
        new Dictionary<string, string?>
        {
            ["tenant"] = Filter.Tenant, ["provider"] = Filter.Provider, ["action"] = Filter.Action, ["subject"] = Filter.Subject,
            ["actor"] = Filter.Actor, ["from"] = Filter.From, ["to"] = Filter.To, ["after"] = next,
        }.Where(p => !string.IsNullOrEmpty(p.Value)));
}

/// <summary>The audit filters as the form names them (the API's query parameters).</summary>
public sealed class AuditFilter
{
    [FromQuery(Name = "tenant")] public string? Tenant { get; set; }
    [FromQuery(Name = "provider")] public string? Provider { get; set; }
    [FromQuery(Name = "action")] public string? Action { get; set; }
    [FromQuery(Name = "subject")] public string? Subject { get; set; }
    [FromQuery(Name = "actor")] public string? Actor { get; set; }
    [FromQuery(Name = "from")] public string? From { get; set; }
    [FromQuery(Name = "to")] public string? To { get; set; }
    [FromQuery(Name = "after")] public string? After { get; set; }
}
