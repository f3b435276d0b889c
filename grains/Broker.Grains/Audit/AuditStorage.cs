using Broker.Audit;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace Broker.Grains.Audit;

/// <summary>
/// What the audit chains hold in grain storage, read and written directly: the chains' heads, and their sealed
/// segments, each written once under an id of its own (no grain is activated for them), so that sealing costs one
/// small write and the verifier reads exactly what is stored.
/// </summary>
public sealed class AuditStorage([FromKeyedServices(StorageNames.Broker)] IGrainStorage storage, IGrainFactory grains)
{
    private static readonly GrainType SegmentType = GrainType.Create(AuditStateNames.Segment);

    public static GrainId IdOf(int chain, long segment) => GrainId.Create(SegmentType, IdSpan.Create(AuditChains.SegmentKey(chain, segment)));

    /// <summary>
    /// Stores a full segment. A record already there is either the same segment sealed before its head was written
    /// (a no-op), or one the head never came to list — a seal whose head write failed, with other entries since — which
    /// is no part of the chain and is replaced. A segment the head lists is never replaced.
    /// </summary>
    public async Task SealAsync(int chain, long segment, AuditEntry[] entries)
    {
        try
        {
            // No ETag: the write succeeds only where nothing is stored yet.
            await storage.WriteStateAsync(AuditStateNames.Segment, IdOf(chain, segment), new GrainState<AuditSegmentState>(new AuditSegmentState { Entries = entries }));
            return;
        }
        catch (InconsistentStateException)
        {
            // Something is stored under this segment's id: find out what below.
        }

        var stored = await ReadStateAsync(chain, segment);
        var same = stored.State!.Entries.Length == entries.Length && stored.State.Entries.Length > 0 && stored.State.Entries[^1].Hash == entries[^1].Hash;
        if (same)
        {
            return;
        }

        if ((await ReadHeadAsync(chain)).SealedSegments > segment)
        {
            throw new InvalidOperationException($"Audit segment {segment} of chain {chain} is sealed with other entries: history is never rewritten.");
        }

        stored.State = new AuditSegmentState { Entries = entries };
        await storage.WriteStateAsync(AuditStateNames.Segment, IdOf(chain, segment), stored);
    }

    /// <summary>The segment's entries as stored; none when it is not stored.</summary>
    public async Task<AuditEntry[]> ReadAsync(int chain, long segment) => (await ReadStateAsync(chain, segment)).State?.Entries ?? [];

    /// <summary>The chain's head as stored (not as its grain holds it in memory).</summary>
    public async Task<AuditChainState> ReadHeadAsync(int chain)
    {
        var stored = new GrainState<AuditChainState>(new AuditChainState());
        await storage.ReadStateAsync(AuditStateNames.Chain, grains.Reference<IAuditChainGrain>(AuditChains.Key(chain)).GetGrainId(), stored);
        return stored.State ?? new AuditChainState();
    }

    private async Task<GrainState<AuditSegmentState>> ReadStateAsync(int chain, long segment)
    {
        var stored = new GrainState<AuditSegmentState>(new AuditSegmentState());
        await storage.ReadStateAsync(AuditStateNames.Segment, IdOf(chain, segment), stored);
        stored.State ??= new AuditSegmentState();
        return stored;
    }
}

[GenerateSerializer, Alias("broker.audit-segment-state")]
public sealed class AuditSegmentState
{
    [Id(0)] public AuditEntry[] Entries { get; set; } = [];
}
