using System.Security.Claims;
using Broker.Grains.Federation;

namespace Broker.Silo.Auth;

/// <summary>Turns a validated JWT's claims into the broker's principal, through the federation: unknown ids are no one.</summary>
public static class OidcClaims
{
    public static Principal? ToPrincipal(ClaimsPrincipal token, OidcOptions options, FederationView federation)
    {
        if (token.FindFirst(options.TenantClaim)?.Value is { } tenantId)
        {
            return federation.Tenants.TryGetValue(tenantId, out var tenant) ? Principal.Tenant(tenant.Id, tenant.HomeProvider) : null;
        }

        if (token.FindFirst(options.ProviderAdminClaim)?.Value is { } providerId)
        {
            return federation.Providers.ContainsKey(providerId) ? Principal.ProviderAdmin(providerId) : null;
        }

        return token.FindFirst(options.FederationAdminClaim)?.Value == "true" ? Principal.FederationAdmin : null;
    }
}
