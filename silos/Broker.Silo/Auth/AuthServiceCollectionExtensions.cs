using System.Security.Claims;
using Broker.Grains.Federation;
using Broker.Silo.Portal;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

namespace Broker.Silo.Auth;

public static class AuthServiceCollectionExtensions
{
    public const string SelectorScheme = "Broker";
    public const string OidcScheme = "Oidc";

    /// <summary>
    /// Bearer tokens from the federation file, optionally JWTs of an OpenID Connect issuer (<see cref="OidcOptions"/>),
    /// and one policy per kind of principal. A bearer token shaped like a JWT goes to the issuer's validation when
    /// one is configured; every challenge and refusal is answered as a problem document by the static-token handler.
    /// </summary>
    public static IServiceCollection AddBrokerAuth(this IServiceCollection services, IConfiguration configuration)
    {
        var oidc = configuration.GetSection(OidcOptions.Section).Get<OidcOptions>() ?? new OidcOptions();
        oidc.Validate();
        var authentication = services.AddAuthentication(SelectorScheme)
            .AddPolicyScheme(SelectorScheme, null, selector =>
            {
                selector.ForwardDefaultSelector = context => oidc.Enabled && CallerTokens.LooksLikeJwt(CallerTokens.Read(context.Request)) ? OidcScheme : BearerTokenHandler.SchemeName;
                selector.ForwardChallenge = BearerTokenHandler.SchemeName;
                selector.ForwardForbid = BearerTokenHandler.SchemeName;
            })
            .AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(BearerTokenHandler.SchemeName, null);
        if (oidc.Enabled)
        {
            authentication.AddJwtBearer(OidcScheme, jwt => ConfigureJwt(jwt, oidc));
        }

        if (oidc.PortalSignIn)
        {
            authentication.AddPortalOidc(oidc);
        }

        services.AddAuthorizationBuilder()
            .AddPolicy(Callers.TenantPolicy, p => p.RequireAssertion(c => Callers.IsKind(c.User, PrincipalKind.Tenant)))
            .AddPolicy(Callers.ProviderAdminPolicy, p => p.RequireAssertion(c => Callers.IsKind(c.User, PrincipalKind.ProviderAdmin)))
            .AddPolicy(Callers.FederationAdminPolicy, p => p.RequireAssertion(c => Callers.IsKind(c.User, PrincipalKind.FederationAdmin)))
            .SetFallbackPolicy(null);
        return services;
    }

    private static void ConfigureJwt(JwtBearerOptions jwt, OidcOptions oidc)
    {
        jwt.Authority = string.IsNullOrWhiteSpace(oidc.Authority) ? null : oidc.Authority;
        jwt.Audience = oidc.Audience;
        jwt.RequireHttpsMetadata = oidc.RequireHttpsMetadata;
        jwt.MapInboundClaims = false;
        jwt.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = oidc.Issuer ?? oidc.Authority,
            ValidAudience = oidc.Audience,
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidateLifetime = true,
            ClockSkew = TimeSpan.FromSeconds(30),
            IssuerSigningKey = oidc.SigningKey is { Length: > 0 } key ? new SymmetricSecurityKey(Convert.FromBase64String(key)) : null,
        };
        jwt.Events = new JwtBearerEvents
        {
            // The portal's JWT is in its session cookie; everywhere else the handler reads the Authorization header itself.
            OnMessageReceived = context =>
            {
                if (PortalSession.Covers(context.Request.Path))
                {
                    context.Token = PortalSession.TokenOf(context.Request);
                }

                return Task.CompletedTask;
            },
            OnTokenValidated = context =>
            {
                var federation = context.HttpContext.RequestServices.GetRequiredService<FederationRegistry>().Current;
                if (OidcClaims.ToPrincipal(context.Principal!, oidc, federation) is { } principal)
                {
                    context.Principal = new ClaimsPrincipal(new ClaimsIdentity(Callers.ToClaims(principal, Callers.JwtSubject(context.Principal!.FindFirstValue("sub"))), OidcScheme));
                }
                else
                {
                    context.Fail("the token names no tenant, provider or federation admin of this federation");
                }

                return Task.CompletedTask;
            },
        };
    }

}
