using Broker.Ledger;
using Orleans.Concurrency;

namespace Broker.Grains.Ledger;

/// <summary>The charges of one party in one billing period; posting is idempotent by entry id.</summary>
[Reentrant]
public sealed class LedgerGrain(
    [PersistentState("ledger", StorageNames.Broker)] IPersistentState<LedgerGrainState> state) : Grain, ILedgerGrain
{
    private GroupCommit? _commit;

    private Dictionary<string, LedgerEntry>? _entries;

    private GroupCommit Commit => _commit ??= GroupCommit.OfSnapshots(state, () => new LedgerGrainState { Entries = new Dictionary<string, LedgerEntry>(Entries) });

    private Dictionary<string, LedgerEntry> Entries => _entries ??= new Dictionary<string, LedgerEntry>(state.State.Entries);

    public async Task PostAsync(LedgerEntry[] entries)
    {
        var added = false;
        foreach (var entry in entries)
        {
            added |= Entries.TryAdd(entry.Id, entry);
        }

        if (added)
        {
            await Commit.CommitAsync();
        }
    }

    public Task<LedgerEntry[]> GetEntriesAsync() =>
        Task.FromResult(Entries.Values.OrderBy(e => e.From).ThenBy(e => e.Id, StringComparer.Ordinal).ToArray());
}

[GenerateSerializer, Alias("broker.ledger-grain-state")]
public sealed class LedgerGrainState
{
    [Id(0)] public Dictionary<string, LedgerEntry> Entries { get; set; } = [];
}
