using System.Security.Claims;
using Broker.Audit;
using Broker.Federation;
using Broker.Grains.Federation;

namespace Broker.Silo.Auth;

/// <summary>Maps a principal to claims and back, and names the authorization policies.</summary>
public static class Callers
{
    public const string TenantPolicy = "tenant";
    public const string ProviderAdminPolicy = "provider-admin";
    public const string FederationAdminPolicy = "federation-admin";

    private const string KindClaim = "broker:kind";
    private const string TenantClaim = "broker:tenant";
    private const string ProviderClaim = "broker:provider";
    private const string CredentialClaim = "broker:credential";

    /// <summary>The claims of an authenticated <paramref name="principal"/> and of the <paramref name="credential"/> that proved it (<see cref="StaticToken"/>, <see cref="JwtSubject"/>).</summary>
    public static IEnumerable<Claim> ToClaims(Principal principal, string credential)
    {
        yield return new Claim(KindClaim, principal.Kind.ToString());
        yield return new Claim(CredentialClaim, credential);
        if (principal.TenantId is not null)
        {
            yield return new Claim(TenantClaim, principal.TenantId);
        }

        if (principal.ProviderId is not null)
        {
            yield return new Claim(ProviderClaim, principal.ProviderId);
        }
    }

    /// <summary>The principal behind an authenticated request.</summary>
    public static Principal Caller(this ClaimsPrincipal user) =>
        user.TryCaller() ?? throw new InvalidOperationException("The endpoint requires authentication.");

    /// <summary>
    /// A static token named by the start of its SHA-256 — the <c>tokenSha256</c> of its entry in the federation file —
    /// so that an auditor can tell a provider's admins apart without the trail ever holding a token.
    /// </summary>
    public static string StaticToken(string token) => "token-sha256:" + TokenHash.Of(token)[..16];

    public static string JwtSubject(string? subject) => "jwt-sub:" + (subject ?? "(none)");

    /// <summary>The caller as the audit trail records it.</summary>
    public static AuditActor Actor(this ClaimsPrincipal user)
    {
        var caller = user.Caller();
        var name = caller.Kind switch
        {
            PrincipalKind.Tenant => $"tenant:{caller.TenantId}",
            PrincipalKind.ProviderAdmin => $"provider-admin:{caller.ProviderId}",
            _ => "federation-admin",
        };
        return new AuditActor(name, user.FindFirstValue(CredentialClaim));
    }

    /// <summary>The principal behind a request, or null when it is not authenticated (the portal's open pages).</summary>
    public static Principal? TryCaller(this ClaimsPrincipal user) =>
        Enum.TryParse<PrincipalKind>(user.FindFirstValue(KindClaim), out var kind) ? new Principal(kind, user.FindFirstValue(TenantClaim), user.FindFirstValue(ProviderClaim)) : null;

    public static bool IsKind(ClaimsPrincipal user, PrincipalKind kind) => user.FindFirstValue(KindClaim) == kind.ToString();

    /// <summary>A provider's admin for that provider, or the federation's admin.</summary>
    public static bool MayRead(this Principal caller, string providerId) =>
        caller.Kind == PrincipalKind.FederationAdmin || (caller.Kind == PrincipalKind.ProviderAdmin && caller.ProviderId == providerId);
}
