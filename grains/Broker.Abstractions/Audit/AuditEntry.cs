using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Broker.Audit;

/// <summary>
/// One recorded event in its chain: its position (<see cref="Chain"/>, <see cref="Sequence"/>), when it was
/// recorded, and a hash over all of that and the previous entry's hash. Changing, removing, inserting or
/// reordering any entry breaks the hashes from there on (<see cref="AuditChainCheck"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("broker.audit-entry")]
public sealed record AuditEntry(
    [property: Id(0)] int Chain,
    [property: Id(1)] long Sequence,
    [property: Id(2)] DateTimeOffset At,
    [property: Id(3)] AuditEvent Event,
    [property: Id(4)] string PreviousHash,
    [property: Id(5)] string Hash)
{
    /// <summary>The previous hash of a chain's first entry.</summary>
    public static readonly string Genesis = new('0', 64);

    public AuditPosition Position => new(At, Chain, Sequence);

    /// <summary>Whether <paramref name="text"/> has the form of an entry's hash: 64 hex digits.</summary>
    public static bool IsHash(string text) => text.Length == 64 && text.All(Uri.IsHexDigit);

    /// <summary>The entry that follows <paramref name="previousHash"/> at this position, with its hash computed.</summary>
    public static AuditEntry Create(int chain, long sequence, DateTimeOffset at, AuditEvent audited, string previousHash) =>
        new(chain, sequence, at, audited, previousHash, HashOf(chain, sequence, at, audited, previousHash));

    /// <summary>The hash this entry's content calls for; equal to <see cref="Hash"/> unless the entry was altered.</summary>
    public string ComputeHash() => HashOf(Chain, Sequence, At, Event, PreviousHash);

    /// <summary>
    /// SHA-256 over every field, each written as its length and its UTF-8 text, so that no two different
    /// entries share an input (moving text from one field to the next changes the lengths).
    /// </summary>
    private static string HashOf(int chain, long sequence, DateTimeOffset at, AuditEvent e, string previousHash)
    {
        var canonical = new StringBuilder();
        foreach (var field in new[]
        {
            chain.ToString(CultureInfo.InvariantCulture), sequence.ToString(CultureInfo.InvariantCulture),
            at.UtcTicks.ToString(CultureInfo.InvariantCulture), e.EventId, e.Action, e.Actor, e.Credential, e.Tenant,
            e.Provider, e.Subject, e.Outcome, e.Detail, previousHash,
        })
        {
            // A null field is written as -1 so that it differs from an empty one.
            canonical.Append(field is null ? "-1" : field.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(field).Append('|');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())));
    }
}

/// <summary>
/// Where an entry stands in the merged trail, newest first: by recording time, then chain, then sequence.
/// Within one chain times never decrease, so a chain's entries are in sequence order in the trail too.
/// </summary>
[GenerateSerializer, Immutable, Alias("broker.audit-position")]
public sealed record AuditPosition([property: Id(0)] DateTimeOffset At, [property: Id(1)] int Chain, [property: Id(2)] long Sequence)
    : IComparable<AuditPosition>
{
    public int CompareTo(AuditPosition? other)
    {
        if (other is null)
        {
            return 1;
        }

        var byTime = At.UtcTicks.CompareTo(other.At.UtcTicks);
        if (byTime != 0)
        {
            return byTime;
        }

        var byChain = Chain.CompareTo(other.Chain);
        return byChain != 0 ? byChain : Sequence.CompareTo(other.Sequence);
    }

    /// <summary>The cursor a client passes back to get the entries after this one (older ones).</summary>
    public string ToCursor() => string.Create(CultureInfo.InvariantCulture, $"{At.UtcTicks}.{Chain}.{Sequence}");

    public static bool TryParse(string cursor, out AuditPosition position)
    {
        position = null!;
        var parts = cursor.Split('.');
        if (parts.Length != 3
            || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) || ticks > DateTimeOffset.MaxValue.UtcTicks
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var chain) || chain >= AuditChains.Count
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
        {
            return false;
        }

        position = new AuditPosition(new DateTimeOffset(ticks, TimeSpan.Zero), chain, sequence);
        return true;
    }
}
