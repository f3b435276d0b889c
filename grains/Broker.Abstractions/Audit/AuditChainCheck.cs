namespace Broker.Audit;

/// <summary>
/// Walks one chain's stored entries in sequence order and finds the first place where the chain does not
/// hold: an entry whose content no longer matches its hash, a link to a previous hash that is not the one
/// before it, a gap or a repeat in the sequence, or a head that disagrees with what was found. Anchors — hashes
/// an auditor wrote down earlier — catch a chain rewritten consistently from some point on.
/// </summary>
public sealed class AuditChainCheck(int chain, IReadOnlyDictionary<long, string>? anchors = null)
{
    private long _next;
    private string _previousHash = AuditEntry.Genesis;

    public AuditBreak? Break { get; private set; }

    /// <summary>The sequence number the next entry must have.</summary>
    public long Expected => _next;

    public void Add(AuditEntry entry)
    {
        if (Break is not null)
        {
            return;
        }

        if (entry.Chain != chain || entry.Sequence != _next)
        {
            Fail(_next, AuditBreakReasons.OutOfSequence, $"expected entry {_next} of chain {chain}, found entry {entry.Sequence} of chain {entry.Chain}");
        }
        else if (entry.ComputeHash() != entry.Hash)
        {
            Fail(entry.Sequence, AuditBreakReasons.HashMismatch, "the entry's content does not match its hash: it was changed after it was recorded");
        }
        else if (entry.PreviousHash != _previousHash)
        {
            Fail(entry.Sequence, AuditBreakReasons.BrokenLink, "the entry does not link to the one before it: entries were removed, inserted or rewritten");
        }
        else if (anchors is not null && anchors.TryGetValue(entry.Sequence, out var anchored) && !string.Equals(anchored, entry.Hash, StringComparison.OrdinalIgnoreCase))
        {
            Fail(entry.Sequence, AuditBreakReasons.AnchorMismatch, $"the entry's hash is {entry.Hash}, the anchor says {anchored}: the chain was rewritten");
        }
        else
        {
            _next++;
            _previousHash = entry.Hash;
        }
    }

    /// <summary>Records a break found outside the entries themselves (a segment the head lists is missing).</summary>
    public void Fail(long sequence, string reason, string detail) => Break ??= new AuditBreak(sequence, reason, detail);

    /// <summary>The verdict once every stored entry was added: the head must name the last entry and its hash.</summary>
    public AuditChainVerdict Finish(long headCount, string headHash)
    {
        if (Break is null && (_next != headCount || _previousHash != headHash))
        {
            Fail(_next, AuditBreakReasons.HeadMismatch, $"the chain's head says {headCount} entries ending in {headHash}, the stored entries are {_next} ending in {_previousHash}");
        }

        var beyondTheEnd = anchors?.Keys.Where(sequence => sequence >= _next).Order().ToArray() ?? [];
        if (Break is null && beyondTheEnd.Length > 0)
        {
            var missing = beyondTheEnd[0];
            Fail(missing, AuditBreakReasons.AnchorMissing, $"an anchor names entry {missing}, the chain has {_next} entries: it was cut short");
        }

        return new AuditChainVerdict(chain, _next, _previousHash, Break);
    }
}

[GenerateSerializer, Immutable, Alias("broker.audit-break")]
public sealed record AuditBreak([property: Id(0)] long Sequence, [property: Id(1)] string Reason, [property: Id(2)] string Detail);

/// <summary>One chain's verdict: how many entries it holds, the hash of its last, and the first break if any.</summary>
[GenerateSerializer, Immutable, Alias("broker.audit-chain-verdict")]
public sealed record AuditChainVerdict([property: Id(0)] int Chain, [property: Id(1)] long Entries, [property: Id(2)] string HeadHash, [property: Id(3)] AuditBreak? Break);

public static class AuditBreakReasons
{
    public const string HashMismatch = "hash-mismatch";
    public const string BrokenLink = "broken-link";
    public const string OutOfSequence = "out-of-sequence";
    public const string HeadMismatch = "head-mismatch";
    public const string MissingSegment = "missing-segment";
    public const string AnchorMismatch = "anchor-mismatch";
    public const string AnchorMissing = "anchor-missing";
}
