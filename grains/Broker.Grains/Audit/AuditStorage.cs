using Broker.Audit;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace Broker.Grains.Audit;

/// <summary>
/// What the audit chains hold in storage, read directly: the chains' heads, and their sealed segments, each stored
/// once under an id of its own (no grain is activated for them; the chain writes a segment in the same commit as
/// the head that lists it), so that the verifier and the queries read exactly what is stored.
/// </summary>
public sealed class AuditStorage([FromKeyedServices(StorageNames.Broker)] IGrainStorage storage, IGrainFactory grains)
{
    private static readonly GrainType SegmentType = GrainType.Create(AuditStateNames.Segment);

    public static GrainId IdOf(int chain, long segment) => GrainId.Create(SegmentType, IdSpan.Create(AuditChains.SegmentKey(chain, segment)));

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
