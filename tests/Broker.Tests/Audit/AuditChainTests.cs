using Broker.Audit;

namespace Broker.Tests.Audit;

/// <summary>The hash chain's rules on their own: what verifies, and every kind of tampering it must reveal.</summary>
public sealed class AuditChainTests
{
    private const int ChainNo = 5;
    private static readonly DateTimeOffset Start = new(2026, 11, 2, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void UntouchedChain_Verifies_AndTheHeadNamesItsLastEntry()
    {
        var chain = Chain(6);

        var verdict = Verify(chain, 6, chain[^1].Hash);

        Assert.Null(verdict.Break);
        Assert.Equal((6L, chain[^1].Hash), (verdict.Entries, verdict.HeadHash));
    }

    [Fact]
    public void ChangedContent_IsAHashMismatchAtThatEntry()
    {
        var chain = Chain(6);
        chain[3] = chain[3] with { Event = chain[3].Event with { Outcome = "rejected:no-capacity" } };

        Assert.Equal(new(3, AuditBreakReasons.HashMismatch), Break(chain));
    }

    [Fact]
    public void ChangedContentWithItsHashRecomputed_BreaksTheNextLink()
    {
        var chain = Chain(6);
        chain[3] = AuditEntry.Create(ChainNo, 3, chain[3].At, chain[3].Event with { Tenant = "someone-else" }, chain[3].PreviousHash);

        Assert.Equal(new(4, AuditBreakReasons.BrokenLink), Break(chain));
    }

    [Fact]
    public void RemovedEntry_IsAGapInTheSequence()
    {
        var chain = Chain(6);
        chain.RemoveAt(2);

        Assert.Equal(new(2, AuditBreakReasons.OutOfSequence), Break(chain));
    }

    [Fact]
    public void SwappedEntries_AreOutOfSequence()
    {
        var chain = Chain(6);
        (chain[1], chain[2]) = (chain[2], chain[1]);

        Assert.Equal(new(1, AuditBreakReasons.OutOfSequence), Break(chain));
    }

    [Fact]
    public void TailCutOff_DisagreesWithTheHead()
    {
        var chain = Chain(6);
        var head = chain[^1].Hash;
        chain.RemoveRange(4, 2);

        var verdict = Verify(chain, 6, head);

        Assert.Equal((4L, AuditBreakReasons.HeadMismatch), (verdict.Break!.Sequence, verdict.Break.Reason));
    }

    [Fact]
    public void ChainRewrittenConsistently_OnlyAnAnchorRevealsIt()
    {
        var original = Chain(6);
        var rewritten = Chain(6, outcomeOf: n => n == 2 ? "rejected:no-capacity" : "allocated");
        var anchors = new Dictionary<long, string> { [5] = original[5].Hash };

        Assert.Null(Verify(rewritten, 6, rewritten[^1].Hash).Break);
        var verdict = Verify(rewritten, 6, rewritten[^1].Hash, anchors);
        Assert.Equal((5L, AuditBreakReasons.AnchorMismatch), (verdict.Break!.Sequence, verdict.Break.Reason));
    }

    [Fact]
    public void ChainCutAndHeadRewritten_AnAnchorBeyondTheEndRevealsIt()
    {
        var chain = Chain(6);
        var anchors = new Dictionary<long, string> { [5] = chain[5].Hash };
        chain.RemoveRange(3, 3);

        var verdict = Verify(chain, 3, chain[^1].Hash, anchors);

        Assert.Equal((5L, AuditBreakReasons.AnchorMissing), (verdict.Break!.Sequence, verdict.Break.Reason));
    }

    [Fact]
    public void TextMovedFromOneFieldToTheNext_ChangesTheHash()
    {
        var audited = Event(0, "allocated");
        var one = AuditEntry.Create(ChainNo, 0, Start, audited with { Tenant = "ab", Provider = "c" }, AuditEntry.Genesis);
        var other = AuditEntry.Create(ChainNo, 0, Start, audited with { Tenant = "a", Provider = "bc" }, AuditEntry.Genesis);
        var empty = AuditEntry.Create(ChainNo, 0, Start, audited with { Credential = "" }, AuditEntry.Genesis);
        var none = AuditEntry.Create(ChainNo, 0, Start, audited with { Credential = null }, AuditEntry.Genesis);

        Assert.NotEqual(one.Hash, other.Hash);
        Assert.NotEqual(empty.Hash, none.Hash);
    }

    [Fact]
    public void Cursor_RoundTrips_AndOrdersByTimeThenChainThenSequence()
    {
        var position = new AuditPosition(Start, 7, 41);

        Assert.True(AuditPosition.TryParse(position.ToCursor(), out var parsed));
        Assert.Equal(position, parsed);
        Assert.True(new AuditPosition(Start, 8, 0).CompareTo(position) > 0);
        Assert.True(new AuditPosition(Start, 7, 40).CompareTo(position) < 0);
        Assert.True(new AuditPosition(Start.AddTicks(1), 0, 0).CompareTo(position) > 0);
        Assert.False(AuditPosition.TryParse($"{Start.UtcTicks}.16.1", out _));
        Assert.False(AuditPosition.TryParse("1.2", out _));
    }

    private static List<AuditEntry> Chain(int length, Func<int, string>? outcomeOf = null)
    {
        var entries = new List<AuditEntry>();
        var previous = AuditEntry.Genesis;
        for (var n = 0; n < length; n++)
        {
            var entry = AuditEntry.Create(ChainNo, n, Start.AddSeconds(n), Event(n, outcomeOf?.Invoke(n) ?? "allocated"), previous);
            entries.Add(entry);
            previous = entry.Hash;
        }

        return entries;
    }

    private static AuditEvent Event(int n, string outcome) =>
        new($"r{n}/decided", AuditActions.RequestDecided, "tenant:t", "token-sha256:0123456789abcdef", "t", "p", $"r{n}", outcome, $"{n} storage.ssd at dc");

    private static AuditChainVerdict Verify(List<AuditEntry> entries, long headCount, string headHash, Dictionary<long, string>? anchors = null)
    {
        var check = new AuditChainCheck(ChainNo, anchors);
        foreach (var entry in entries)
        {
            check.Add(entry);
        }

        return check.Finish(headCount, headHash);
    }

    private static (long Sequence, string Reason) Break(List<AuditEntry> entries)
    {
        var verdict = Verify(entries, entries.Count, entries[^1].Hash);
        Assert.NotNull(verdict.Break);
        return (verdict.Break.Sequence, verdict.Break.Reason);
    }
}
