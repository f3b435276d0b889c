using Broker.Silo.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Mvc;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Broker.Silo.Portal;

/// <summary>
/// The portal's redirect sign-in at the OpenID Connect issuer (<see cref="OidcOptions.ClientId"/>): the authorization
/// code flow with PKCE, run by ASP.NET Core's OpenID Connect handler. The handler checks state, nonce and the id token;
/// what it keeps of the answer is only the access token, put into the portal's session cookie as a pasted token would be
/// (<see cref="PortalSession"/>). The sign-in page's check then lets the API's JWT handler judge it — the portal never
/// judges a token itself, and no second session exists beside the cookie.
/// </summary>
public static class PortalOidc
{
    public const string SchemeName = "PortalOidc";
    public const string CallbackPath = PortalSession.Path + "/signin-oidc";
    private const string ReturnUrlItem = "broker.returnUrl";

    public static AuthenticationBuilder AddPortalOidc(this AuthenticationBuilder authentication, OidcOptions oidc) =>
        authentication.AddOpenIdConnect(SchemeName, options =>
        {
            options.Authority = oidc.Authority;
            options.ClientId = oidc.ClientId;
            options.ClientSecret = string.IsNullOrWhiteSpace(oidc.ClientSecret) ? null : oidc.ClientSecret;
            options.RequireHttpsMetadata = oidc.RequireHttpsMetadata;
            options.ResponseType = OpenIdConnectResponseType.Code;
            options.UsePkce = true;
            // The issuer answers with a redirect (a GET); form_post would need script to submit the issuer's form.
            options.ResponseMode = OpenIdConnectResponseMode.Query;
            options.CallbackPath = CallbackPath;
            options.Scope.Clear();
            foreach (var scope in ("openid " + oidc.Scope).Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal))
            {
                options.Scope.Add(scope);
            }

            options.SaveTokens = true;
            options.MapInboundClaims = false;
            options.GetClaimsFromUserInfoEndpoint = false;
            options.TokenValidationParameters.ValidIssuer = oidc.Issuer ?? oidc.Authority;
            // Never reached: the ticket is answered by TicketReceived below, no cookie session is signed in.
            options.SignInScheme = PortalAuthenticationHandler.SchemeName;
            // The handler's own cookies live for one trip to the issuer and back. They must come along on the issuer's
            // redirect back, a navigation from another site: SameSite=Lax (the session cookie stays Strict).
            foreach (var cookie in new[] { options.CorrelationCookie, options.NonceCookie })
            {
                cookie.Path = PortalSession.Path;
                cookie.SameSite = SameSiteMode.Lax;
                cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                cookie.HttpOnly = true;
            }

            options.CorrelationCookie.Name = "broker-portal-oidc-correlation.";
            options.NonceCookie.Name = "broker-portal-oidc-nonce.";
            options.Events = new OpenIdConnectEvents
            {
                OnTicketReceived = context =>
                {
                    var token = context.Properties?.GetTokenValue(OpenIdConnectParameterNames.AccessToken);
                    context.HandleResponse();
                    if (string.IsNullOrEmpty(token) || token.Length > PortalSession.MaxTokenLength)
                    {
                        context.Response.Redirect(PortalLinks.SignInFailed);
                        return Task.CompletedTask;
                    }

                    PortalSession.Start(context.Response, token);
                    context.Response.Redirect(PortalLinks.SignInHandOff(context.Properties?.Items.TryGetValue(ReturnUrlItem, out var returnUrl) == true ? returnUrl : null));
                    return Task.CompletedTask;
                },
                // A refusal by the issuer (a code it does not redeem, an error it answers), a state or nonce that does
                // not hold: the sign-in page says the sign-in failed; the handler has logged why.
                OnRemoteFailure = context =>
                {
                    context.HandleResponse();
                    PortalSession.End(context.Response);
                    context.Response.Redirect(PortalLinks.SignInFailed);
                    return Task.CompletedTask;
                },
            };
        });

    /// <summary>Sends the browser to the issuer; back at the portal it continues to <paramref name="returnUrl"/> (one of the portal's own pages).</summary>
    public static IActionResult Start(string? returnUrl)
    {
        var properties = new AuthenticationProperties();
        if (PortalLinks.IsOwn(returnUrl))
        {
            properties.Items[ReturnUrlItem] = returnUrl;
        }

        return new ChallengeResult(SchemeName, properties);
    }
}
