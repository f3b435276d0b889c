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

    /// <summary>
    /// The portal's client at the issuer: with it (and an authority) the sign-in page offers the redirect sign-in
    /// (authorization code flow with PKCE), whose access token becomes the portal's session.
    /// </summary>
    public string? ClientId { get; set; }

    /// <summary>The client's secret, for an issuer that wants a confidential client; none for a public one (PKCE alone).</summary>
    public string? ClientSecret { get; set; }

    /// <summary>The scopes the portal asks for, separated by spaces; <c>openid</c> is always asked for.</summary>
    public string Scope { get; set; } = "openid";

    /// <summary>
    /// Whether the authority's discovery document and keys must come over HTTPS. Off only for an authority on loopback
    /// (a test's issuer); the broker refuses to start with it off for any other authority.
    /// </summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>The portal's redirect sign-in is offered: an authority to send the browser to and a client id there.</summary>
    public bool PortalSignIn => !string.IsNullOrWhiteSpace(Authority) && !string.IsNullOrWhiteSpace(ClientId);

    /// <summary>The options' own consistency: plain HTTP for the authority's metadata only on loopback.</summary>
    public void Validate()
    {
        if (!RequireHttpsMetadata && !string.IsNullOrWhiteSpace(Authority)
            && !(Uri.TryCreate(Authority, UriKind.Absolute, out var authority) && authority.IsLoopback))
        {
            throw new InvalidOperationException($"{Section}:RequireHttpsMetadata may be false only for an authority on loopback, not {Authority}");
        }
    }

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority) || !string.IsNullOrWhiteSpace(SigningKey);
}
