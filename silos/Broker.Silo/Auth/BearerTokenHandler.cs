using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Broker.Grains.Federation;
using Broker.Silo.Api;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Broker.Silo.Auth;

/// <summary>
/// Authenticates the static bearer tokens of the federation file, as <see cref="CallerTokens"/> finds them. Browsers reach
/// the dashboard with Basic authentication (any user name, the token as password), since they cannot send a bearer token.
/// </summary>
public sealed class BearerTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    FederationRegistry federation) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "BrokerToken";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = ReadToken();
        if (token is null)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (federation.Current.Authenticate(token) is not { } principal)
        {
            return Task.FromResult(AuthenticateResult.Fail("unknown token"));
        }

        var identity = new ClaimsIdentity(Callers.ToClaims(principal, Callers.StaticToken(token)), SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Request.Path.StartsWithSegments("/dashboard"))
        {
            Response.Headers.WWWAuthenticate = "Basic realm=\"Broker dashboard\", charset=\"UTF-8\"";
        }
        else
        {
            Response.Headers.WWWAuthenticate = "Bearer";
        }

        await Problems.Unauthenticated("a valid 'Authorization: Bearer <token>' header is required").ExecuteAsync(Context);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.Forbidden("this principal may not use this endpoint").ExecuteAsync(Context);

    private string? ReadToken()
    {
        if (Request.Path.StartsWithSegments("/dashboard")
            && AuthenticationHeaderValue.TryParse(Request.Headers.Authorization, out var header)
            && header.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase)
            && !string.IsNullOrEmpty(header.Parameter))
        {
            try
            {
                var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter));
                var colon = pair.IndexOf(':');
                return colon < 0 ? null : pair[(colon + 1)..];
            }
            catch (FormatException)
            {
                return null;
            }
        }

        return CallerTokens.Read(Request);
    }
}
