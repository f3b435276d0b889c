using System.Globalization;
using Broker.Contracts;

namespace Broker.Client;

/// <summary>Which entries to list; every filter that is set must match. <see cref="From"/> inclusive, <see cref="To"/> exclusive.</summary>
public sealed record AuditFilter(
    string? Tenant = null,
    string? Provider = null,
    string? Action = null,
    string? Subject = null,
    string? Actor = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null)
{
    internal IEnumerable<string> ToQuery()
    {
        (string Name, string? Value)[] all =
        [
            ("tenant", Tenant), ("provider", Provider), ("action", Action), ("subject", Subject), ("actor", Actor),
            ("from", From?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture)),
            ("to", To?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture)),
        ];
        return all.Where(f => f.Value is not null).Select(f => $"{f.Name}={Uri.EscapeDataString(f.Value!)}");
    }
}

/// <summary>An entry's hash written down at an earlier verification: a later one checks the chain still holds it.</summary>
public sealed record AuditAnchor(int Chain, long Sequence, string Hash)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Chain}:{Sequence}:{Hash}");
}

public static class AuditVerificationExtensions
{
    /// <summary>Each non-empty chain's last entry: keep these, and pass them to a later verification.</summary>
    public static IEnumerable<AuditAnchor> Anchors(this AuditVerificationResource verification) =>
        verification.Chains.Where(c => c.Entries > 0).Select(c => new AuditAnchor(c.Chain, c.Entries - 1, c.HeadHash));
}
