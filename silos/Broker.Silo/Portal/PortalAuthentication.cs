using System.Text.Encodings.Web;
using Broker.Silo.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Broker.Silo.Portal;

/// <summary>
/// The portal's authentication scheme. It authenticates nothing itself: that is forwarded to the API's own scheme (which
/// reads the token from the portal's cookie under <c>/portal</c>, see <see cref="CallerTokens"/>). What differs is what a
/// person sees: without a valid session the sign-in page, and a page of refusal (403) for what is not theirs.
/// </summary>
public sealed class PortalAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Portal";

    // Never called: the scheme is registered with ForwardAuthenticate to the API's scheme (PortalServices).
    protected override Task<AuthenticateResult> HandleAuthenticateAsync() => Task.FromResult(AuthenticateResult.NoResult());

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Redirect(PortalLinks.SignIn(Request.PathBase + Request.Path + Request.QueryString));
        return Task.CompletedTask;
    }

    // The status code page of the portal renders the refusal (Portal/Pages/Status).
    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return Task.CompletedTask;
    }
}

/// <summary>A portal page for one kind of principal, authenticated through <see cref="PortalAuthenticationHandler"/>.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class PortalAuthorizeAttribute : AuthorizeAttribute
{
    /// <summary>Any signed-in principal.</summary>
    public PortalAuthorizeAttribute() => AuthenticationSchemes = PortalAuthenticationHandler.SchemeName;

    /// <summary>Only principals one of the API's policies admits (<see cref="Callers"/>).</summary>
    public PortalAuthorizeAttribute(string policy) : base(policy) => AuthenticationSchemes = PortalAuthenticationHandler.SchemeName;
}
