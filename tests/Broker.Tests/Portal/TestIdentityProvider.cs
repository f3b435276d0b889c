using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Broker.Tests.Portal;

/// <summary>
/// An OpenID Connect issuer for the portal's redirect sign-in, on loopback: discovery, an RSA key as JWKS, an
/// <c>/authorize</c> that signs in at once whoever the test named (<see cref="NextUser"/>) and redirects back with a code,
/// and a <c>/token</c> that redeems a code once, for its client, its redirect URI and the PKCE verifier (S256) of its
/// challenge, answering with an id token (for the client, with the nonce) and an access token (for the broker).
/// Its authority is <c>http://localhost:port</c> while the broker is at <c>127.0.0.1</c>: two sites, as a real issuer
/// and the portal are, so the browser treats the redirect back as a navigation from another site.
/// </summary>
public sealed class TestIdentityProvider : IAsyncDisposable
{
    public const string ClientId = "broker-portal";
    public const string Audience = "broker";

    private readonly RsaSecurityKey _key = new(RSA.Create(2048)) { KeyId = "test-" + Guid.NewGuid().ToString("N")[..8] };
    private readonly ConcurrentDictionary<string, Grant> _codes = new();
    private readonly ConcurrentDictionary<string, bool> _redeemed = new();
    private WebApplication? _app;
    private string? _lastCode;

    private sealed record Grant(IReadOnlyList<Claim> User, string ClientId, string RedirectUri, string Nonce, string? Challenge);

    /// <summary>How the next <c>/authorize</c> misbehaves, for the tests of what the portal does when the issuer refuses.</summary>
    public enum Trick
    {
        None,
        /// <summary>The code is bound to no PKCE challenge, as if the browser's request had come without one.</summary>
        NoChallenge,
        /// <summary>The code is bound to a challenge other than the one asked with, as if it had been tampered with.</summary>
        OtherChallenge,
        /// <summary>Back with the last code already redeemed, instead of a new one.</summary>
        ReplayLastCode,
    }

    public string ClientSecret { get; } = "secret-" + Guid.NewGuid().ToString("N");

    public string Authority { get; private set; } = "";

    /// <summary>Whom the next <c>/authorize</c> signs in: the claims of its tokens besides <c>sub</c>.</summary>
    public IReadOnlyList<Claim> NextUser { get; set; } = [];

    public Trick NextTrick { get; set; }

    /// <summary>
    /// <c>/authorize</c> answers with a page of its own whose link (<see cref="ContinueLink"/>) goes back, as an issuer's
    /// sign-in page does: the way back is then a navigation another site started, not one redirect chain the portal began.
    /// </summary>
    public bool AsksToContinue { get; set; }

    public const string ContinueLink = "Continue to the portal";

    /// <summary>Codes <c>/token</c> redeemed, and the ones it refused (with its reason).</summary>
    public int Redeemed => _redeemed.Count;

    public ConcurrentQueue<string> Refusals { get; } = new();

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        _app = builder.Build();
        _app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = Authority,
            ["authorization_endpoint"] = Authority + "/authorize",
            ["token_endpoint"] = Authority + "/token",
            ["jwks_uri"] = Authority + "/jwks",
            ["response_types_supported"] = new[] { "code" },
            ["subject_types_supported"] = new[] { "public" },
            ["id_token_signing_alg_values_supported"] = new[] { SecurityAlgorithms.RsaSha256 },
            ["code_challenge_methods_supported"] = new[] { "S256" },
            ["token_endpoint_auth_methods_supported"] = new[] { "client_secret_post", "client_secret_basic" },
        }));
        _app.MapGet("/jwks", () =>
        {
            var parameters = _key.Rsa.ExportParameters(false);
            return Results.Json(new
            {
                keys = new[]
                {
                    new { kty = "RSA", use = "sig", alg = SecurityAlgorithms.RsaSha256, kid = _key.KeyId, n = Base64UrlEncoder.Encode(parameters.Modulus), e = Base64UrlEncoder.Encode(parameters.Exponent) },
                },
            });
        });
        _app.MapGet("/authorize", Authorize);
        _app.MapPost("/token", TokenAsync);
        await _app.StartAsync();
        var address = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        Authority = $"http://localhost:{address.Port}";
    }

    private IResult Authorize(HttpRequest request)
    {
        var query = request.Query;
        if (query["response_type"] != "code" || query["client_id"] != ClientId || string.IsNullOrEmpty(query["redirect_uri"])
            || string.IsNullOrEmpty(query["state"]) || string.IsNullOrEmpty(query["nonce"])
            || query["code_challenge_method"] != "S256" || string.IsNullOrEmpty(query["code_challenge"]))
        {
            return Results.BadRequest("not an authorization request of the code flow with PKCE (S256)");
        }

        var trick = NextTrick;
        NextTrick = Trick.None;
        var code = trick == Trick.ReplayLastCode && _lastCode is { } last ? last : Guid.NewGuid().ToString("N");
        if (trick != Trick.ReplayLastCode)
        {
            var challenge = trick switch
            {
                Trick.NoChallenge => null,
                Trick.OtherChallenge => S256(Guid.NewGuid().ToString("N")),
                _ => query["code_challenge"].ToString(),
            };
            _codes[code] = new Grant(NextUser, ClientId, query["redirect_uri"]!, query["nonce"]!, challenge);
            _lastCode = code;
        }

        var back = $"{query["redirect_uri"]}?code={Uri.EscapeDataString(code)}&state={Uri.EscapeDataString(query["state"]!)}";
        return AsksToContinue
            ? Results.Content($"<!DOCTYPE html><html lang=\"en\"><title>Issuer</title><a href=\"{System.Net.WebUtility.HtmlEncode(back)}\">{ContinueLink}</a></html>", "text/html; charset=utf-8")
            : Results.Redirect(back);
    }

    private async Task<IResult> TokenAsync(HttpRequest request)
    {
        var form = await request.ReadFormAsync();
        var code = form["code"].ToString();
        string? refusal = null;
        Grant? grant = null;
        // A code is good once: taken out on its first redemption, whatever comes of it.
        if (form["grant_type"] != "authorization_code" || !_codes.TryRemove(code, out grant))
        {
            refusal = _redeemed.ContainsKey(code) ? "code already redeemed" : "unknown code";
        }
        else if (form["client_id"] != grant.ClientId || form["client_secret"] != ClientSecret)
        {
            refusal = "client not authenticated";
        }
        else if (form["redirect_uri"] != grant.RedirectUri)
        {
            refusal = "redirect_uri differs";
        }
        else if (grant.Challenge is null || string.IsNullOrEmpty(form["code_verifier"]) || S256(form["code_verifier"]!) != grant.Challenge)
        {
            refusal = "PKCE verifier does not match the challenge";
        }

        _redeemed[code] = true;
        if (refusal is not null)
        {
            Refusals.Enqueue(refusal);
            return Results.Json(new { error = "invalid_grant", error_description = refusal }, statusCode: StatusCodes.Status400BadRequest);
        }

        var subject = "user-" + Guid.NewGuid().ToString("N")[..8];
        var accessToken = Token(Audience, subject, grant!.User);
        var idToken = Token(ClientId, subject, [new Claim("nonce", grant.Nonce), new Claim("at_hash", AtHash(accessToken))]);
        return Results.Json(new { access_token = accessToken, id_token = idToken, token_type = "Bearer", expires_in = 300 });
    }

    private string Token(string audience, string subject, IEnumerable<Claim> claims) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Authority,
            Audience = audience,
            Subject = new ClaimsIdentity([new Claim("sub", subject), .. claims]),
            IssuedAt = DateTime.UtcNow,
            NotBefore = DateTime.UtcNow.AddMinutes(-1),
            Expires = DateTime.UtcNow.AddMinutes(5),
            SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.RsaSha256),
        });

    private static string S256(string verifier) => Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    private static string AtHash(string accessToken) => Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(accessToken))[..16]);

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        _key.Rsa.Dispose();
    }
}
