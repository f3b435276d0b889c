using System.Security.Cryptography;
using System.Text;

namespace Broker.Federation;

/// <summary>
/// Bearer tokens are known to the broker only by their SHA-256. A presented token is hashed and looked up by
/// its hash, so the lookup's timing can tell at most something about a hash, never about a token; the final
/// comparison is in constant time all the same.
/// </summary>
public static class TokenHash
{
    /// <summary>Lower-case hex SHA-256 of the token's UTF-8 bytes, as <c>sha256sum</c> prints it.</summary>
    public static string Of(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>The hash an entry stands for: its <c>tokenSha256</c>, or the hash of its plain <c>token</c>.</summary>
    public static string? Of(string? token, string? tokenSha256) =>
        tokenSha256 is { Length: > 0 } ? tokenSha256.ToLowerInvariant() : token is { Length: > 0 } ? Of(token) : null;

    public static bool IsWellFormed(string hash) => hash.Length == 64 && hash.All(Uri.IsHexDigit);

    public static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(a), Encoding.ASCII.GetBytes(b));

    /// <summary>How many entries of a federation file hold a plain token rather than its hash.</summary>
    public static int PlainTokensIn(FederationDocument document) =>
        document.FederationAdmins.Count(a => !string.IsNullOrEmpty(a.Token))
        + document.Providers.Sum(p => p.Admins.Count(a => !string.IsNullOrEmpty(a.Token)))
        + document.Tenants.Count(t => !string.IsNullOrEmpty(t.Token));
}
