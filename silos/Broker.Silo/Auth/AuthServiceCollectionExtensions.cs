using Broker.Grains.Federation;
using Microsoft.AspNetCore.Authentication;

namespace Broker.Silo.Auth;

public static class AuthServiceCollectionExtensions
{
    /// <summary>Bearer tokens from the federation file and one policy per kind of principal.</summary>
    public static IServiceCollection AddBrokerAuth(this IServiceCollection services)
    {
        services.AddAuthentication(BearerTokenHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(BearerTokenHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(Callers.TenantPolicy, p => p.RequireAssertion(c => Callers.IsKind(c.User, PrincipalKind.Tenant)))
            .AddPolicy(Callers.ProviderAdminPolicy, p => p.RequireAssertion(c => Callers.IsKind(c.User, PrincipalKind.ProviderAdmin)))
            .AddPolicy(Callers.FederationAdminPolicy, p => p.RequireAssertion(c => Callers.IsKind(c.User, PrincipalKind.FederationAdmin)))
            .SetFallbackPolicy(null);
        return services;
    }
}
