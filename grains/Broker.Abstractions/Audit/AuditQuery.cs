namespace Broker.Audit;

/// <summary>
/// Which entries of the trail a reader wants, newest first. Every filter that is set must match;
/// <see cref="From"/> is inclusive, <see cref="To"/> exclusive; <see cref="Before"/> is the previous page's last position.
/// <see cref="WithoutTenant"/> keeps only entries that concern no tenant: the admin changes a provider's admin may read.
/// </summary>
[GenerateSerializer, Immutable, Alias("broker.audit-query")]
public sealed record AuditQuery(
    [property: Id(0)] int Limit,
    [property: Id(1)] string? Tenant = null,
    [property: Id(2)] string? Provider = null,
    [property: Id(3)] bool WithoutTenant = false,
    [property: Id(4)] string? Action = null,
    [property: Id(5)] string? Subject = null,
    [property: Id(6)] string? Actor = null,
    [property: Id(7)] DateTimeOffset? From = null,
    [property: Id(8)] DateTimeOffset? To = null,
    [property: Id(9)] AuditPosition? Before = null)
{
    public bool Matches(AuditEntry entry)
    {
        var e = entry.Event;
        return (Before is null || entry.Position.CompareTo(Before) < 0)
            && (From is null || entry.At >= From)
            && (To is null || entry.At < To)
            && (Tenant is null || e.Tenant == Tenant)
            && (!WithoutTenant || e.Tenant is null)
            && (Provider is null || e.Provider == Provider)
            && (Action is null || e.Action == Action)
            && (Subject is null || e.Subject == Subject)
            && (Actor is null || e.Actor == Actor);
    }

    /// <summary>Whether entries recorded at <paramref name="at"/> and earlier are all too old for this query.</summary>
    public bool IsBeforeRange(DateTimeOffset at) => From is { } from && at < from;
}
