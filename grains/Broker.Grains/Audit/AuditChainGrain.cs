using Broker.Audit;
using Microsoft.Extensions.DependencyInjection;

namespace Broker.Grains.Audit;

/// <inheritdoc cref="IAuditChainGrain"/>
/// <remarks>
/// Not reentrant: each append reads the head, links to it and stores the new head in one turn, so no two
/// appends can link to the same previous entry. The stored state is the head and the open segment only
/// (at most <see cref="AuditChains.SegmentSize"/> entries): full segments are sealed into grains of their own.
/// </remarks>
public sealed class AuditChainGrain(
    [PersistentState(AuditStateNames.Chain, StorageNames.Broker)] IPersistentState<AuditChainState> state,
    [FromKeyedServices(BrokerTime.Key)] TimeProvider time) : Grain, IAuditChainGrain
{
    // How many sealed segments a query reads at once while it walks back through a chain.
    private const int SegmentsPerRead = 8;

    // Event ids of the newest entries (the open segment and, once one was sealed here, the segment before it).
    private HashSet<string>? _recent;

    private int Chain => int.Parse(this.GetPrimaryKeyString(), System.Globalization.CultureInfo.InvariantCulture);

    private HashSet<string> Recent => _recent ??= state.State.Open.Select(e => e.Event.EventId).ToHashSet(StringComparer.Ordinal);

    public async Task AppendAsync(AuditEvent[] events)
    {
        var fresh = events.DistinctBy(e => e.EventId).Where(e => !Recent.Contains(e.EventId)).ToArray();
        if (fresh.Length == 0)
        {
            return;
        }

        var head = state.State;
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
            await GrainFactory.GetGrain<IAuditSegmentGrain>(AuditChains.SegmentKey(Chain, head.SealedSegments)).SealAsync(next.Open);
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
        var matches = state.State.Open.Reverse().Where(query.Matches).Take(query.Limit).ToList();
        var oldestOpen = state.State.Open.FirstOrDefault()?.At;
        if (oldestOpen is { } oldest && query.IsBeforeRange(oldest))
        {
            return [.. matches];
        }

        for (var newest = state.State.SealedSegments - 1; newest >= 0 && matches.Count < query.Limit; newest -= SegmentsPerRead)
        {
            var segments = Enumerable.Range(0, (int)Math.Min(SegmentsPerRead, newest + 1)).Select(back => newest - back);
            var pages = await Task.WhenAll(segments.Select(s => GrainFactory.GetGrain<IAuditSegmentGrain>(AuditChains.SegmentKey(Chain, s)).QueryAsync(query with { Limit = query.Limit - matches.Count })));
            foreach (var page in pages)
            {
                matches.AddRange(page.Matches.Take(query.Limit - matches.Count));
                if (page.OldestAt is { } at && query.IsBeforeRange(at))
                {
                    return [.. matches];
                }
            }
        }

        return [.. matches];
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
