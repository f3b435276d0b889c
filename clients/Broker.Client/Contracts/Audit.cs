using System.Globalization;

namespace Broker.Client;

/// <summary>One entry of the audit trail: who did what to which subject, when, how it came out, and its place in its hash chain.</summary>
public sealed record AuditEntry(
    int Chain,
    long Sequence,
    DateTimeOffset At,
    string EventId,
    string Action,
    string Actor,
    string? Credential,
    string? Tenant,
    string? Provider,
    string Subject,
    string Outcome,
    string Detail,
    string PreviousHash,
    string Hash);

/// <summary>A page of the trail, newest first; <see cref="Next"/> asks for the following (older) page.</summary>
public sealed record AuditPage(IReadOnlyList<AuditEntry> Items, string? Next);

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

/// <summary>The verdict on every chain as stored.</summary>
public sealed record AuditVerification(bool Valid, long Entries, DateTimeOffset CheckedAt, IReadOnlyList<AuditChain> Chains)
{
    /// <summary>Each non-empty chain's last entry: keep these, and pass them to a later verification.</summary>
    public IEnumerable<AuditAnchor> Anchors() =>
        Chains.Where(c => c.Entries > 0).Select(c => new AuditAnchor(c.Chain, c.Entries - 1, c.HeadHash));
}

public sealed record AuditChain(int Chain, long Entries, string HeadHash, bool Valid, AuditBreak? Break);

/// <summary>Where a chain first fails to hold, and why (<c>hash-mismatch</c>, <c>broken-link</c>, <c>anchor-mismatch</c> …).</summary>
public sealed record AuditBreak(long Sequence, string Reason, string Detail);

/// <summary>An entry's hash written down at an earlier verification: a later one checks the chain still holds it.</summary>
public sealed record AuditAnchor(int Chain, long Sequence, string Hash)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Chain}:{Sequence}:{Hash}");
}
