namespace Broker.Silo.Auth;

/// <summary>
/// Optional OpenID Connect / JWT bearer tokens beside the federation file's static ones (<c>Broker:Oidc</c>).
/// A token is accepted when its issuer, audience, lifetime and signature hold, and one of its claims names a
/// tenant, a provider or the federation admin the federation knows.
/// </summary>
public sealed class OidcOptions
{
    public const string Section = "Broker:Oidc";

    /// <summary>The issuer's URL; its signing keys come from its discovery document.</summary>
    public string? Authority { get; set; }

    /// <summary>The expected <c>iss</c>; default: the authority.</summary>
    public string? Issuer { get; set; }

    /// <summary>The expected <c>aud</c>.</summary>
    public string Audience { get; set; } = "broker";

    /// <summary>A symmetric signing key (base64), for issuers without discovery; used instead of the authority's keys.</summary>
    public string? SigningKey { get; set; }

    /// <summary>The claim whose value is the tenant's id.</summary>
    public string TenantClaim { get; set; } = "broker_tenant";

    /// <summary>The claim whose value is the id of the provider the caller administers.</summary>
    public string ProviderAdminClaim { get; set; } = "broker_provider_admin";

    /// <summary>The claim that, set to <c>true</c>, makes the caller the federation admin.</summary>
    public string FederationAdminClaim { get; set; } = "broker_federation_admin";

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority) || !string.IsNullOrWhiteSpace(SigningKey);
}
