using Broker.Audit;
using Broker.Grains;
using Broker.Grains.Audit;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace Broker.Tests.Audit;

/// <summary>
/// Chains longer than a segment, and tampering with what storage holds: the verifier reads storage, not the
/// chain grains' memory, so a changed or missing segment is found. A broker of its own, as the tampering stays.
/// </summary>
public sealed class AuditStorageTests() : OwnBroker
{
    private const int Events = 150;

    private static readonly Dictionary<int, Dictionary<long, string>> NoAnchors = [];

    [Fact]
    public async Task LongChain_SealsSegments_ListsEveryEntryInOrder_AndIgnoresARepeat()
    {
        var subject = "subject-" + Guid.NewGuid().ToString("N");
        var chain = AuditChains.Of(subject);
        var before = (await Verifier.VerifyAsync(NoAnchors))[chain].Entries;
        await AppendAsync(subject, Events);
        await AuditChains.AppendAsync(Broker.Grains, [Event(subject, Events - 1)]);

        var (entries, next) = await AuditChains.QueryAsync(Broker.Grains, new AuditQuery(Limit: 1_000, Subject: subject));
        var verdict = (await Verifier.VerifyAsync(NoAnchors))[chain];

        Assert.Null(next);
        Assert.Equal(Enumerable.Range(0, Events).Reverse().Select(n => $"{subject}/{n}"), entries.Select(e => e.Event.EventId));
        Assert.Equal(Enumerable.Range(0, Events).Select(n => before + n).Reverse(), entries.Select(e => e.Sequence));
        Assert.Null(verdict.Break);
        Assert.Equal(before + Events, verdict.Entries);
        Assert.Equal(AuditChains.SegmentSize, (await SegmentAsync(chain, 1)).Entries.Length);
    }

    [Fact]
    public async Task EntryChangedInASealedSegment_IsFoundAtItsSequence()
    {
        var (chain, stored) = await ChainWithSealedSegmentsAsync();
        var victim = stored.State!.Entries[5];
        stored.State.Entries[5] = victim with { Event = victim.Event with { Outcome = "rejected:no-capacity" } };

        await Storage.WriteStateAsync(AuditStateNames.Segment, SegmentId(chain, 0), stored);
        var verdicts = await Verifier.VerifyAsync(NoAnchors);

        Assert.Equal((victim.Sequence, AuditBreakReasons.HashMismatch), (verdicts[chain].Break!.Sequence, verdicts[chain].Break!.Reason));
        Assert.All(verdicts.Where(v => v.Chain != chain), v => Assert.Null(v.Break));
    }

    [Fact]
    public async Task SealedSegmentDeleted_IsAMissingSegment()
    {
        var (chain, stored) = await ChainWithSealedSegmentsAsync();
        var first = stored.State!.Entries[0].Sequence;

        await Storage.ClearStateAsync(AuditStateNames.Segment, SegmentId(chain, 0), stored);
        var verdict = (await Verifier.VerifyAsync(NoAnchors))[chain];

        Assert.Equal((first, AuditBreakReasons.MissingSegment), (verdict.Break!.Sequence, verdict.Break!.Reason));
    }

    [Fact]
    public async Task SealByAnActivationThatLostTheHead_StoresNothing_AndTheChainStillVerifies()
    {
        // What the fault run found: an activation on a silo that was cut off sealed a segment over the one its
        // successor had sealed, and the chain no longer verified. A seal is now stored with its head or not at all.
        var subject = "subject-" + Guid.NewGuid().ToString("N");
        var chain = AuditChains.Of(subject);
        var sent = 0;
        do
        {
            await AuditChains.AppendAsync(Broker.Grains, [Event(subject, sent++)]);
        }
        while ((await Store.ReadHeadAsync(chain)).Open.Length != AuditChains.SegmentSize - 1);

        // Another activation takes the head over (the head row moves on under this activation's feet).
        var headKey = Grains.Storage.RowGrainStorage.KeyOf(AuditStateNames.Chain, Broker.Grains.Reference<IAuditChainGrain>(AuditChains.Key(chain)).GetGrainId());
        var head = (await Rows.ReadAsync(headKey))!;
        await Rows.CommitAsync([Grains.Storage.RowWrite.Put(headKey, head.Payload, expectedVersion: head.Version)]);
        var sealedBefore = (await Store.ReadHeadAsync(chain)).SealedSegments;

        await Assert.ThrowsAnyAsync<Exception>(() => AuditChains.AppendAsync(Broker.Grains, [Event(subject, sent)]));

        Assert.Empty(await Store.ReadAsync(chain, sealedBefore));
        Assert.Null((await Verifier.VerifyAsync(NoAnchors))[chain].Break);
    }

    [Fact]
    public async Task RepeatRightAfterASeal_SentToANewActivationOfTheChain_IsRecordedOnce()
    {
        var subject = "subject-" + Guid.NewGuid().ToString("N");
        var chain = AuditChains.Of(subject);
        var sent = 0;
        do
        {
            await AuditChains.AppendAsync(Broker.Grains, [Event(subject, sent++)]);
        }
        while ((await Store.ReadHeadAsync(chain)).Open.Length != 0);

        var count = (await Store.ReadHeadAsync(chain)).Count;
        // As after a crash: the chain's next activation knows only what is stored.
        await Broker.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        await AuditChains.AppendAsync(Broker.Grains, [Event(subject, sent - 1)]);

        Assert.Equal(count, (await Store.ReadHeadAsync(chain)).Count);
        Assert.Single((await AuditChains.QueryAsync(Broker.Grains, new AuditQuery(Limit: 10, Subject: subject))).Entries, e => e.Event.EventId == $"{subject}/{sent - 1}");
    }

    [Fact]
    public async Task OldEventSentAgain_AfterManyOthersAndANewActivation_IsRecordedOnce()
    {
        // What the fault run found: a request released just before its silo died sends its release again when it
        // is next activated, long after the chain moved past the ids it remembers in memory.
        var subject = "subject-" + Guid.NewGuid().ToString("N");
        var chain = AuditChains.Of(subject);
        await AuditChains.AppendAsync(Broker.Grains, [Event(subject, 0)]);
        for (var n = 1; n <= 10 * AuditChains.SegmentSize; n++)
        {
            await AuditChains.AppendAsync(Broker.Grains, [Event(subject, n)]);
        }

        await Broker.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var count = (await Store.ReadHeadAsync(chain)).Count;

        await AuditChains.AppendAsync(Broker.Grains, [Event(subject, 0)], again: true);

        Assert.Equal(count, (await Store.ReadHeadAsync(chain)).Count);
        Assert.Single((await AuditChains.QueryAsync(Broker.Grains, new AuditQuery(Limit: 1_000, Subject: subject))).Entries, e => e.Event.EventId == $"{subject}/0");
    }

    private AuditVerifier Verifier => Broker.Services.GetRequiredService<AuditVerifier>();

    private AuditStorage Store => Broker.Services.GetRequiredService<AuditStorage>();

    private Grains.Storage.IRowStore Rows => Broker.Services.GetRequiredService<Grains.Storage.IRowStore>();

    private IGrainStorage Storage => Broker.Services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Broker);

    private static GrainId SegmentId(int chain, long segment) => AuditStorage.IdOf(chain, segment);

    /// <summary>A chain holding <see cref="Events"/> entries of a fresh subject, and its first sealed segment as stored.</summary>
    private async Task<(int Chain, GrainState<AuditSegmentState> FirstSegment)> ChainWithSealedSegmentsAsync()
    {
        var subject = "subject-" + Guid.NewGuid().ToString("N");
        var chain = AuditChains.Of(subject);
        await AppendAsync(subject, Events);
        return (chain, await ReadSegmentAsync(chain, 0));
    }

    private async Task AppendAsync(string subject, int count)
    {
        for (var n = 0; n < count; n++)
        {
            await AuditChains.AppendAsync(Broker.Grains, [Event(subject, n)]);
        }
    }

    private async Task<GrainState<AuditSegmentState>> ReadSegmentAsync(int chain, long segment)
    {
        var stored = new GrainState<AuditSegmentState>(new AuditSegmentState());
        await Storage.ReadStateAsync(AuditStateNames.Segment, SegmentId(chain, segment), stored);
        return stored;
    }

    private async Task<AuditSegmentState> SegmentAsync(int chain, long segment) => (await ReadSegmentAsync(chain, segment)).State!;

    private static AuditEvent Event(string subject, int n) =>
        new($"{subject}/{n}", AuditActions.PoolChanged, "provider-admin:p", null, null, "p", subject, "updated", $"total {n}");
}
