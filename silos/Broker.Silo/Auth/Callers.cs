using System.Security.Claims;
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

    public static IEnumerable<Claim> ToClaims(Principal principal)
    {
        yield return new Claim(KindClaim, principal.Kind.ToString());
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
    public static Principal Caller(this ClaimsPrincipal user) => new(
        Enum.Parse<PrincipalKind>(user.FindFirstValue(KindClaim) ?? throw new InvalidOperationException("The endpoint requires authentication.")),
        user.FindFirstValue(TenantClaim),
        user.FindFirstValue(ProviderClaim));

    public static bool IsKind(ClaimsPrincipal user, PrincipalKind kind) => user.FindFirstValue(KindClaim) == kind.ToString();

    /// <summary>A provider's admin for that provider, or the federation's admin.</summary>
    public static bool MayRead(this Principal caller, string providerId) =>
        caller.Kind == PrincipalKind.FederationAdmin || (caller.Kind == PrincipalKind.ProviderAdmin && caller.ProviderId == providerId);
}
