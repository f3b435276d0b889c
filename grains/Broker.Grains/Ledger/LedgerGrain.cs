using Orleans.Concurrency;
using Broker.Ledger;

namespace Broker.Grains.Ledger;

/// <summary>The charges of one party in one billing period; posting is idempotent by entry id.</summary>
[Reentrant]
public sealed class LedgerGrain(
    [PersistentState("ledger", StorageNames.Broker)] IPersistentState<LedgerGrainState> state) : Grain, ILedgerGrain
{
    private GroupCommit? _commit;

    private GroupCommit Commit => _commit ??= new GroupCommit(() => state.WriteStateAsync());

    public async Task PostAsync(LedgerEntry[] entries)
    {
        var added = false;
        foreach (var entry in entries)
        {
            added |= state.State.Entries.TryAdd(entry.Id, entry);
        }

        if (added)
        {
            await Commit.CommitAsync();
        }
    }

    public Task<LedgerEntry[]> GetEntriesAsync() =>
        Task.FromResult(state.State.Entries.Values.OrderBy(e => e.From).ThenBy(e => e.Id, StringComparer.Ordinal).ToArray());
}

[GenerateSerializer, Alias("broker.ledger-grain-state")]
public sealed class LedgerGrainState
{
    [Id(0)] public Dictionary<string, LedgerEntry> Entries { get; set; } = [];
}
