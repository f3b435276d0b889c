using System.Globalization;
using System.Security.Claims;
using Broker.Audit;
using Broker.Contracts;
using Broker.Grains;
using Broker.Grains.Audit;
using Broker.Grains.Federation;
using Broker.Silo.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

using Broker.Silo.OpenApi;

namespace Broker.Silo.Api;

/// <summary>
/// The audit trail: every decision, renewal, release, expiry and admin change. The federation admin reads all
/// of it and verifies its hash chains; a tenant reads its own entries; a provider's admin the changes to its provider.
/// </summary>
public static class AuditApi
{
    private const int MaxFilterLength = 256;

    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        var audit = app.MapGroup("/v1/audit").WithTags("Audit").RequireAuthorization();
        audit.MapGet("/", ListAsync).WithName("ListAudit").WithSummary("The audit trail, newest first (federation admin: all; tenant: its own; provider admin: changes to its provider)")
            .AnswersInvalid("a filter, limit or after").AnswersForbidden("asking only for what it may read").AnswersUnavailable();
        audit.MapGet("/verify", VerifyAsync).WithName("VerifyAudit").WithSummary("Check every hash chain of the trail as stored (federation admin)")
            .RequireAuthorization(Callers.FederationAdminPolicy)
            .AnswersInvalid("an anchor").AnswersUnavailable();
        return app;
    }

    public static async Task<Results<Ok<AuditListResource>, ProblemHttpResult>> ListAsync(
        [AsParameters] AuditListParameters parameters, ClaimsPrincipal user, IGrainFactory grains)
    {
        var (query, errors) = AuditQueryParser.Parse(parameters, MaxFilterLength);
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        var caller = user.Caller();
        switch (caller.Kind)
        {
            case PrincipalKind.Tenant when query.Tenant is not null && query.Tenant != caller.TenantId:
                return Problems.Forbidden("a tenant reads only its own entries of the audit trail");
            case PrincipalKind.Tenant:
                query = query with { Tenant = caller.TenantId };
                break;
            case PrincipalKind.ProviderAdmin when query.Tenant is not null || (query.Provider is not null && query.Provider != caller.ProviderId):
                return Problems.Forbidden("a provider's admin reads only the audit trail's changes to its own provider");
            case PrincipalKind.ProviderAdmin:
                query = query with { Provider = caller.ProviderId, WithoutTenant = true };
                break;
        }

        var (entries, next) = await AuditChains.QueryAsync(grains, query);
        return TypedResults.Ok(new AuditListResource(entries.Select(AuditEntryResource.From).ToArray(), next?.ToCursor()));
    }

    /// <summary>Every chain checked as stored; each <c>anchor</c> (chain:sequence:hash from an earlier verification, repeatable) must still hold.</summary>
    public static async Task<Results<Ok<AuditVerificationResource>, ProblemHttpResult>> VerifyAsync(
        string[]? anchor, AuditVerifier verifier, [FromKeyedServices(BrokerTime.Key)] TimeProvider time)
    {
        var anchors = new Dictionary<int, Dictionary<long, string>>();
        foreach (var text in anchor ?? [])
        {
            if (!TryAnchor(text, out var chain, out var sequence, out var hash))
            {
                return Problems.Invalid("anchor", "each anchor is chain:sequence:hash, such as 3:41:<64 hex digits>, from an earlier verification");
            }

            if (!anchors.TryAdd(chain, new Dictionary<long, string> { [sequence] = hash }) && !anchors[chain].TryAdd(sequence, hash))
            {
                return Problems.Invalid("anchor", $"entry {sequence} of chain {chain} is anchored twice");
            }
        }

        var verdicts = await verifier.VerifyAsync(anchors);
        var chains = verdicts.Select(AuditChainResource.From).ToArray();
        return TypedResults.Ok(new AuditVerificationResource(chains.All(c => c.Valid), chains.Sum(c => c.Entries), time.GetUtcNow(), chains));
    }

    private static bool TryAnchor(string? text, out int chain, out long sequence, out string hash)
    {
        (chain, sequence, hash) = (0, 0, "");
        var parts = text?.Split(':') ?? [];
        if (parts.Length != 3
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out chain) || chain >= AuditChains.Count
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out sequence)
            || !AuditEntry.IsHash(parts[2]))
        {
            return false;
        }

        hash = parts[2].ToLowerInvariant();
        return true;
    }
}
