using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using static Broker.Tests.Api.ApiExpectations;

namespace Broker.Tests.Api;

/// <summary>JWT bearer tokens of a configured issuer, mapped to tenants and admins through the federation; static tokens keep working.</summary>
public sealed class OidcTests() : OwnBroker(
    "--Broker:Oidc:Issuer", Issuer, "--Broker:Oidc:Audience", "broker", "--Broker:Oidc:SigningKey", Convert.ToBase64String(Key))
{
    private const string Issuer = "https://idp.example.test";
    private static readonly byte[] Key = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);

    [Fact]
    public async Task ValidTokens_MapToTenantProviderAdminAndFederationAdmin()
    {
        var world = await OneProviderWorldAsync("a");

        await ExpectAsync(Bearer(Token(("broker_tenant", world.Id("a")))), HttpMethod.Get, "/v1/requests", null, HttpStatusCode.OK);
        await ExpectAsync(Bearer(Token(("broker_tenant", world.Id("a")))), HttpMethod.Post, "/v1/requests", world.Body("storage.ssd", 5), HttpStatusCode.Created);
        await ExpectAsync(Bearer(Token(("broker_provider_admin", world.Id("home")))), HttpMethod.Get, $"/v1/providers/{world.Id("home")}/datacenters", null, HttpStatusCode.OK);
        await ExpectAsync(Bearer(Token(("broker_federation_admin", "true"))), HttpMethod.Put, "/v1/federation", new { }, HttpStatusCode.OK);
        // A tenant's JWT is a tenant: not an admin.
        await ExpectAsync(Bearer(Token(("broker_tenant", world.Id("a")))), HttpMethod.Put, "/v1/federation", new { }, HttpStatusCode.Forbidden, "forbidden");
        // The federation file's static tokens still work beside them.
        await ExpectAsync(world.Tenant("a"), HttpMethod.Get, "/v1/requests", null, HttpStatusCode.OK);
        Assert.Equal(5, (await world.PoolAsync("dc", "storage.ssd")).Allocated);
    }

    [Fact]
    public async Task InvalidTokens_401Unauthenticated()
    {
        var world = await OneProviderWorldAsync("a");
        var tenant = ("broker_tenant", world.Id("a"));
        string[] invalid =
        [
            Token(("broker_tenant", "nobody-" + Guid.NewGuid().ToString("N")[..8])),
            Token(("broker_provider_admin", "nobody")),
            Token(("broker_federation_admin", "false")),
            Token(tenant, audience: "someone-else"),
            Token(tenant, issuer: "https://evil.example.test"),
            Token(tenant, expires: DateTime.UtcNow.AddMinutes(-5)),
            Token(tenant, key: System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            Token(tenant)[..^4] + "AAAA",
        ];

        foreach (var token in invalid)
        {
            await ExpectAsync(Bearer(token), HttpMethod.Get, "/v1/requests", null, HttpStatusCode.Unauthorized, "unauthenticated");
        }
    }

    private HttpClient Bearer(string token) => Broker.Client(token);

    private static string Token((string Type, string Value) claim, string audience = "broker", string issuer = Issuer, DateTime? expires = null, byte[]? key = null) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new ClaimsIdentity([new Claim(claim.Type, claim.Value), new Claim("sub", "someone")]),
            NotBefore = (expires ?? DateTime.UtcNow.AddMinutes(10)).AddMinutes(-20),
            Expires = expires ?? DateTime.UtcNow.AddMinutes(10),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key ?? Key), SecurityAlgorithms.HmacSha256),
        });
}
