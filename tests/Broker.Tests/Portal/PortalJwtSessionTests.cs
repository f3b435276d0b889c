using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Broker.Tests.Portal;

/// <summary>A JWT of the configured OpenID Connect issuer in the portal's session cookie is judged by the API's JWT handler, like a bearer token.</summary>
public sealed class PortalJwtSessionTests() : OwnBroker(
    "--Broker:Oidc:Issuer", Issuer, "--Broker:Oidc:Audience", "broker", "--Broker:Oidc:SigningKey", Convert.ToBase64String(Key))
{
    private const string Issuer = "https://idp.example.test";
    private static readonly byte[] Key = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);

    [Fact]
    public async Task JwtInSessionCookie_ValidSignsIn_ForgedOrBearerOnlyDoesNot()
    {
        var world = await OneProviderWorldAsync("a");
        var valid = Token(world.Id("a"), Key);

        Assert.Equal((HttpStatusCode.OK, null), await RequestsPageAsync(cookie: valid));
        Assert.Equal((HttpStatusCode.Found, "/portal/sign-in?returnUrl=%2Fportal%2Frequests"), await RequestsPageAsync(cookie: Token(world.Id("a"), System.Security.Cryptography.RandomNumberGenerator.GetBytes(32))));
        // Under /portal the Authorization header counts for nothing: only the session cookie does.
        Assert.Equal((HttpStatusCode.Found, "/portal/sign-in?returnUrl=%2Fportal%2Frequests"), await RequestsPageAsync(bearer: valid));
    }

    private async Task<(HttpStatusCode, string?)> RequestsPageAsync(string? cookie = null, string? bearer = null)
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = Broker.BaseAddress };
        using var message = new HttpRequestMessage(HttpMethod.Get, "/portal/requests");
        if (cookie is not null)
        {
            message.Headers.Add("Cookie", "broker-portal-token=" + cookie);
        }

        if (bearer is not null)
        {
            message.Headers.Authorization = new("Bearer", bearer);
        }

        using var response = await client.SendAsync(message);
        return (response.StatusCode, response.Headers.Location?.OriginalString);
    }

    private static string Token(string tenant, byte[] key) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = "broker",
            Subject = new ClaimsIdentity([new Claim("broker_tenant", tenant), new Claim("sub", "someone")]),
            NotBefore = DateTime.UtcNow.AddMinutes(-5),
            Expires = DateTime.UtcNow.AddMinutes(10),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key), SecurityAlgorithms.HmacSha256),
        });
}
