using Broker.Audit;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;

namespace Broker.Grains.Audit;

/// <inheritdoc cref="IAuditChainGrain"/>
/// <remarks>
/// Appends are linked and stored by one writer at a time, so no two can link to the same previous entry; appends
/// that arrive while a write is in flight wait and are stored together by the next write (group commit), and each
/// caller is answered once the write holding its events is done. On PostgreSQL a chain so takes one round trip per
/// batch, not per event. The stored state is the head and the open segment only (at most
/// <see cref="AuditChains.SegmentSize"/> entries): full segments are sealed into records of their own (<see cref="AuditStorage"/>).
/// </remarks>
[Reentrant]
public sealed class AuditChainGrain(
    [PersistentState(AuditStateNames.Chain, StorageNames.Broker)] IPersistentState<AuditChainState> state,
    AuditStorage segments,
    [FromKeyedServices(BrokerTime.Key)] TimeProvider time) : Grain, IAuditChainGrain
{
    // How many sealed segments a query reads at once while it walks back through a chain.
    private const int SegmentsPerRead = 8;

    // Sealed segments never change: the ones a query read recently are kept for the next page.
    private const int SegmentsCached = 256;

    private readonly Dictionary<long, AuditEntry[]> _segmentCache = [];

    private readonly List<(AuditEvent[] Events, TaskCompletionSource Stored)> _waiting = [];
    private Task _writer = Task.CompletedTask;

    // Event ids of the newest entries (the open segment and, once one was sealed here, the segment before it).
    private HashSet<string>? _recent;

    // What storage holds: queries never see entries whose write is still in flight.
    private AuditChainState? _committed;

    private int Chain => int.Parse(this.GetPrimaryKeyString(), System.Globalization.CultureInfo.InvariantCulture);

    private AuditChainState Committed => _committed ??= state.State;

    private HashSet<string> Recent => _recent ??= Committed.Open.Select(e => e.Event.EventId).ToHashSet(StringComparer.Ordinal);

    public Task AppendAsync(AuditEvent[] events)
    {
        var stored = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting.Add((events, stored));
        if (_writer.IsCompleted)
        {
            _writer = WriteWaitingAsync();
        }

        return stored.Task;
    }

    private async Task WriteWaitingAsync()
    {
        while (_waiting.Count > 0)
        {
            var batch = _waiting.ToArray();
            _waiting.Clear();
            try
            {
                await StoreAsync(batch.SelectMany(b => b.Events));
                foreach (var (_, stored) in batch)
                {
                    stored.SetResult();
                }
            }
            catch (Exception error)
            {
                foreach (var (_, stored) in batch)
                {
                    stored.SetException(error);
                }
            }
        }
    }

    private async Task StoreAsync(IEnumerable<AuditEvent> events)
    {
        var fresh = events.DistinctBy(e => e.EventId).Where(e => !Recent.Contains(e.EventId)).ToArray();
        if (fresh.Length == 0)
        {
            return;
        }

        var head = Committed;
        // Recording times never go back within a chain, whatever the clock does: the trail's order relies on it.
        var at = time.GetUtcNow() > head.LastAt ? time.GetUtcNow() : head.LastAt;
        var open = new List<AuditEntry>(head.Open);
        var (count, hash) = (head.Count, head.HeadHash);
        foreach (var audited in fresh)
        {
            var entry = AuditEntry.Create(Chain, count++, at, audited, hash);
            open.Add(entry);
            hash = entry.Hash;
        }

        var next = new AuditChainState { Count = count, HeadHash = hash, LastAt = at, SealedSegments = head.SealedSegments, Open = [.. open] };
        var sealing = open.Count >= AuditChains.SegmentSize;
        if (sealing)
        {
            // Segment first, head second: a failure in between leaves the old head, and the retry seals the same entries again.
            await segments.SealAsync(Chain, head.SealedSegments, next.Open);
            next.SealedSegments++;
            next.Open = [];
        }

        state.State = next;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // Whether the write landed is unknown: start again from what storage holds.
            state.State = head;
            DeactivateOnIdle();
            throw;
        }

        _committed = next;
        if (sealing)
        {
            _recent = open.Select(e => e.Event.EventId).ToHashSet(StringComparer.Ordinal);
        }
        else
        {
            Recent.UnionWith(fresh.Select(e => e.EventId));
        }
    }

    public async Task<AuditEntry[]> QueryAsync(AuditQuery query)
    {
        var committed = Committed;
        var matches = committed.Open.Reverse().Where(query.Matches).Take(query.Limit).ToList();
        var oldestOpen = committed.Open.FirstOrDefault()?.At;
        if (oldestOpen is { } oldest && query.IsBeforeRange(oldest))
        {
            return [.. matches];
        }

        for (var newest = committed.SealedSegments - 1; newest >= 0 && matches.Count < query.Limit; newest -= SegmentsPerRead)
        {
            var window = Enumerable.Range(0, (int)Math.Min(SegmentsPerRead, newest + 1)).Select(back => newest - back).ToArray();
            var read = await Task.WhenAll(window.Select(SegmentAsync));
            foreach (var entries in read)
            {
                matches.AddRange(entries.Reverse().Where(query.Matches).Take(query.Limit - matches.Count));
                if (entries.Length > 0 && query.IsBeforeRange(entries[0].At))
                {
                    return [.. matches];
                }
            }
        }

        return [.. matches];
    }

    private async Task<AuditEntry[]> SegmentAsync(long segment)
    {
        if (_segmentCache.TryGetValue(segment, out var cached))
        {
            return cached;
        }

        var entries = await segments.ReadAsync(Chain, segment);
        if (_segmentCache.Count >= SegmentsCached)
        {
            _segmentCache.Clear();
        }

        _segmentCache[segment] = entries;
        return entries;
    }
}

[GenerateSerializer, Alias("broker.audit-chain-state")]
public sealed class AuditChainState
{
    /// <summary>How many entries the chain holds; the next entry's sequence number.</summary>
    [Id(0)] public long Count { get; set; }
    [Id(1)] public string HeadHash { get; set; } = AuditEntry.Genesis;
    [Id(2)] public DateTimeOffset LastAt { get; set; }
    /// <summary>How many segments were sealed: segments 0 to this minus one hold entries 0 to Count minus the open ones.</summary>
    [Id(3)] public long SealedSegments { get; set; }
    [Id(4)] public AuditEntry[] Open { get; set; } = [];
}

/// <summary>The names under which the trail's grains store their state: the verifier reads storage by them.</summary>
public static class AuditStateNames
{
    public const string Chain = "audit-chain";
    public const string Segment = "audit-segment";
}
