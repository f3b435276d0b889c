namespace Broker.Grains.Federation;

/// <summary>Who holds a token: a tenant (with its home provider), a provider's admin, or the federation's admin.</summary>
public sealed record Principal(PrincipalKind Kind, string? TenantId, string? ProviderId)
{
    public static readonly Principal FederationAdmin = new(PrincipalKind.FederationAdmin, null, null);

    public static Principal Tenant(string tenantId, string homeProvider) => new(PrincipalKind.Tenant, tenantId, homeProvider);

    public static Principal ProviderAdmin(string providerId) => new(PrincipalKind.ProviderAdmin, null, providerId);
}

public enum PrincipalKind
{
    Tenant = 0,
    ProviderAdmin = 1,
    FederationAdmin = 2,
}
