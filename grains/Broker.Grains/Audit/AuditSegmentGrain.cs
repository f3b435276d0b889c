using Broker.Audit;

namespace Broker.Grains.Audit;

/// <inheritdoc cref="IAuditSegmentGrain"/>
public sealed class AuditSegmentGrain(
    [PersistentState(AuditStateNames.Segment, StorageNames.Broker)] IPersistentState<AuditSegmentState> state) : Grain, IAuditSegmentGrain
{
    public async Task SealAsync(AuditEntry[] entries)
    {
        var sealedBefore = state.State.Entries;
        if (sealedBefore.Length > 0)
        {
            // The chain retries a seal whose head write failed; anything else would rewrite history.
            if (sealedBefore.Length != entries.Length || sealedBefore[^1].Hash != entries[^1].Hash)
            {
                throw new InvalidOperationException($"Audit segment {this.GetPrimaryKeyString()} is sealed with other entries.");
            }

            return;
        }

        state.State = new AuditSegmentState { Entries = entries };
        await state.WriteStateAsync();
    }

    public Task<AuditSegmentPage> QueryAsync(AuditQuery query)
    {
        var entries = state.State.Entries;
        var matches = entries.Reverse().Where(query.Matches).Take(query.Limit).ToArray();
        return Task.FromResult(new AuditSegmentPage(matches, entries.Length > 0 ? entries[0].At : null));
    }
}

[GenerateSerializer, Alias("broker.audit-segment-state")]
public sealed class AuditSegmentState
{
    [Id(0)] public AuditEntry[] Entries { get; set; } = [];
}
