using Broker.Audit;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace Broker.Grains.Audit;

/// <summary>
/// The sealed segments of the audit chains, each written once straight to grain storage under an id of its own
/// (no grain is activated for them): sealing costs one small write, and a segment never changes after.
/// </summary>
public sealed class AuditSegmentStore([FromKeyedServices(StorageNames.Broker)] IGrainStorage storage)
{
    private static readonly GrainType SegmentType = GrainType.Create(AuditStateNames.Segment);

    public static GrainId IdOf(int chain, long segment) => GrainId.Create(SegmentType, IdSpan.Create(AuditChains.SegmentKey(chain, segment)));

    /// <summary>Stores a full segment; sealing the same entries again (after the chain's head write failed) is a no-op.</summary>
    public async Task SealAsync(int chain, long segment, AuditEntry[] entries)
    {
        try
        {
            // No ETag: the write succeeds only where nothing is stored yet.
            await storage.WriteStateAsync(AuditStateNames.Segment, IdOf(chain, segment), new GrainState<AuditSegmentState>(new AuditSegmentState { Entries = entries }));
        }
        catch (InconsistentStateException)
        {
            var sealedBefore = await ReadAsync(chain, segment);
            if (sealedBefore.Length != entries.Length || sealedBefore.Length == 0 || sealedBefore[^1].Hash != entries[^1].Hash)
            {
                throw new InvalidOperationException($"Audit segment {segment} of chain {chain} is sealed with other entries: history is never rewritten.");
            }
        }
    }

    /// <summary>The segment's entries as stored; none when it is not stored.</summary>
    public async Task<AuditEntry[]> ReadAsync(int chain, long segment)
    {
        var stored = new GrainState<AuditSegmentState>(new AuditSegmentState());
        await storage.ReadStateAsync(AuditStateNames.Segment, IdOf(chain, segment), stored);
        return stored.State?.Entries ?? [];
    }
}

[GenerateSerializer, Alias("broker.audit-segment-state")]
public sealed class AuditSegmentState
{
    [Id(0)] public AuditEntry[] Entries { get; set; } = [];
}
