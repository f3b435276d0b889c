using System.Security.Cryptography;
using System.Text;
using static Broker.Tests.Api.ApiExpectations;

namespace Broker.Tests.Api;

/// <summary>Tokens known only by their SHA-256: they authenticate, and malformed or reused hashes are refused whole.</summary>
[Collection(BrokerCollection.Name)]
public sealed class TokenHashTests(BrokerFixture broker)
{
    [Fact]
    public async Task TenantWithTokenSha256_AuthenticatesWithTheToken_NotWithTheHash()
    {
        var world = await broker.CreateWorldAsync(w => w.Member("home", "DE-HH"));
        var token = "secret-" + Guid.NewGuid().ToString("N");
        var tenant = "hashed-" + Guid.NewGuid().ToString("N")[..8];
        var hash = Sha256(token);
        using var admin = broker.Client(broker.FederationAdminToken);

        await ExpectAsync(admin, HttpMethod.Put, "/v1/federation", new { tenants = new[] { new { id = tenant, homeProvider = world.Id("home"), tokenSha256 = hash.ToUpperInvariant() } } }, HttpStatusCode.OK);

        await ExpectAsync(broker.Client(token), HttpMethod.Get, "/v1/requests", null, HttpStatusCode.OK);
        await ExpectAsync(broker.Client(hash), HttpMethod.Get, "/v1/requests", null, HttpStatusCode.Unauthorized, "unauthenticated");
        await ExpectAsync(broker.Client(token + "x"), HttpMethod.Get, "/v1/requests", null, HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task MalformedOrReusedTokenHashes_400_NothingChanged()
    {
        var world = await broker.CreateWorldAsync(w => w.Member("home", "DE-HH"));
        var newcomer = "nobody-" + Guid.NewGuid().ToString("N")[..8];
        using var admin = broker.Client(broker.FederationAdminToken);
        object Tenant(string? tokenSha256, string? token = null) => new { id = newcomer, homeProvider = world.Id("home"), tokenSha256, token };

        var shortHash = await ExpectAsync(admin, HttpMethod.Put, "/v1/federation", new { tenants = new[] { Tenant("abc123") } }, HttpStatusCode.BadRequest, "invalid-request");
        await ExpectAsync(admin, HttpMethod.Put, "/v1/federation", new { tenants = new[] { Tenant(new string('z', 64)) } }, HttpStatusCode.BadRequest, "invalid-request");
        // The federation admin's own token, given again as a hash: one token for two principals.
        var reused = await ExpectAsync(admin, HttpMethod.Put, "/v1/federation", new { tenants = new[] { Tenant(Sha256(broker.FederationAdminToken)) } }, HttpStatusCode.BadRequest, "invalid-request");

        Assert.True(shortHash.GetProperty("errors").TryGetProperty("tenants[0].tokenSha256", out _), shortHash.ToString());
        Assert.True(reused.GetProperty("errors").TryGetProperty("tokens", out _), reused.ToString());
        Assert.DoesNotContain(broker.FederationAdminToken, reused.ToString(), StringComparison.Ordinal);
        var tenants = await ExpectAsync(admin, HttpMethod.Get, $"/v1/billing/tenants/{newcomer}", null, HttpStatusCode.NotFound, "not-found");
        Assert.Equal("not-found", tenants.Code());
    }

    [Fact]
    public async Task TwoFederationAdminsWithTokenSha256_BothAuthenticate()
    {
        var world = await broker.CreateWorldAsync(w => w.Member("home", "DE-HH"));
        var (first, second) = ("office-a-" + Guid.NewGuid().ToString("N"), "office-b-" + Guid.NewGuid().ToString("N"));
        using var admin = broker.Client(broker.FederationAdminToken);

        await ExpectAsync(admin, HttpMethod.Put, "/v1/federation", new { federationAdmins = new[] { new { tokenSha256 = Sha256(first) }, new { tokenSha256 = Sha256(second) } } }, HttpStatusCode.OK);

        // Reading another provider's data centers is the federation admin's alone.
        await ExpectAsync(broker.Client(first), HttpMethod.Get, $"/v1/providers/{world.Id("home")}/datacenters", null, HttpStatusCode.OK);
        await ExpectAsync(broker.Client(second), HttpMethod.Get, $"/v1/providers/{world.Id("home")}/datacenters", null, HttpStatusCode.OK);
    }

    [Fact]
    public async Task TwoProviderAdminsWithTokenSha256_BothAuthenticate_AndAThirdAddedLaterToo()
    {
        var world = await broker.CreateWorldAsync(w => w.Member("home", "DE-HH"));
        var (first, second, third) = ("ops-a-" + Guid.NewGuid().ToString("N"), "ops-b-" + Guid.NewGuid().ToString("N"), "ops-c-" + Guid.NewGuid().ToString("N"));
        using var admin = broker.Client(broker.FederationAdminToken);
        object Provider(params string[] tokens) => new { providers = new[] { new { id = world.Id("home"), kind = "member", regions = new[] { "DE-HH" }, admins = tokens.Select(t => new { tokenSha256 = Sha256(t) }) } } };

        await ExpectAsync(admin, HttpMethod.Put, "/v1/federation", Provider(first, second), HttpStatusCode.OK);
        await ExpectAsync(admin, HttpMethod.Put, "/v1/federation", Provider(third), HttpStatusCode.OK);

        foreach (var token in new[] { first, second, third })
        {
            await ExpectAsync(broker.Client(token), HttpMethod.Get, $"/v1/providers/{world.Id("home")}/datacenters", null, HttpStatusCode.OK);
        }
    }

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
