using System.Security.Cryptography;
using System.Text;

namespace Broker.Silo.Api;

/// <summary>
/// Request ids. With an idempotency key the id is derived from tenant and key, so a retry reaches the
/// same request grain without any index; keys are scoped per tenant because the tenant is part of the hash.
/// </summary>
public static class RequestIds
{
    public static string FromIdempotencyKey(string tenant, string key)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{tenant}\n{key}"));
        return "r-" + Convert.ToHexStringLower(hash.AsSpan(0, 12));
    }

    public static string New() => "r-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    /// <summary>A reservation's id: from the tenant and its key as a request's, in a space of its own (a key may name a request and a reservation).</summary>
    public static string ReservationFromIdempotencyKey(string tenant, string key)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{tenant}\nreservation\n{key}"));
        return Broker.Reservations.ReservationIds.Prefix + Convert.ToHexStringLower(hash.AsSpan(0, 12));
    }

    public static string NewReservation() => Broker.Reservations.ReservationIds.Prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    public static bool IsWellFormedReservation(string id) =>
        id.Length == 26 && Broker.Reservations.ReservationIds.IsReservation(id) && id[2..].All(char.IsAsciiHexDigitLower);

    /// <summary>1–128 printable ASCII characters, as API.md says.</summary>
    public static bool IsValidIdempotencyKey(string key) => key.Length is >= 1 and <= 128 && key.All(c => c is >= ' ' and <= '~');

    /// <summary>Ids this API hands out; anything else cannot name a request.</summary>
    public static bool IsWellFormed(string id) =>
        id.Length == 26 && id.StartsWith("r-", StringComparison.Ordinal) && id[2..].All(char.IsAsciiHexDigitLower);
}
