using System.Diagnostics;
using Broker.Audit;
using Broker.Grains.Storage;
using Broker.Grains.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;
using Orleans.Serialization;

namespace Broker.Grains.Audit;

/// <inheritdoc cref="IAuditChainGrain"/>
/// <remarks>
/// An append links its entries to the live head in one turn, so no two appends can link to the same entry, then
/// waits for a write that includes them (<see cref="GroupCommit"/>: appends arriving while a write is in flight are
/// stored together by the next one, one round trip per batch on PostgreSQL). The stored state is the head and the
/// open segment only (at most <see cref="AuditChains.SegmentSize"/> entries): full segments are sealed into records
/// of their own (<see cref="AuditStorage"/>), in the same commit as the head that lists them. With the head, each write
/// stores one index row per event id it links: a sender that does not know whether an earlier send arrived
/// (<see cref="AppendAgainAsync"/>) is recognised however long ago that was, at one point read per event.
/// </remarks>
[Reentrant]
public sealed class AuditChainGrain(
    IRowStore rows,
    Serializer serializer,
    AuditStorage segments,
    [FromKeyedServices(BrokerTime.Key)] TimeProvider time,
    BrokerMetrics metrics) : Grain, IAuditChainGrain
{
    // How many sealed segments a query reads at once while it walks back through a chain.
    private const int SegmentsPerRead = 8;

    // Sealed segments never change: the ones a query read recently are kept for the next page.
    private const int SegmentsCached = 256;

    private readonly Dictionary<long, AuditEntry[]> _segmentCache = [];

    private int _chain;
    private GroupCommit _commit = null!;
    private RowKey _head;
    private long _version;

    // Event ids linked since the last write began: the next write stores their index rows with the head.
    private readonly List<string> _unindexed = [];

    // The head with every linked entry, written or not; arrays in it are replaced, never changed in place.
    private AuditChainState _live = null!;

    // What storage holds: queries never see entries whose write is still in flight.
    private AuditChainState _committed = null!;

    // How many of the newest sealed segments, besides the open one, a repeat is recognised in. Without them the
    // window would be empty right after a seal, and an owner re-sending after a crash would be recorded twice.
    private const int SegmentsRemembered = 2;

    // Event ids of the open segment and of the newest sealed segments: a repeat is not linked again.
    private readonly HashSet<string> _recent = new(StringComparer.Ordinal);
    private readonly Queue<AuditEntry[]> _recentlySealed = new();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _chain = int.Parse(this.GetPrimaryKeyString(), System.Globalization.CultureInfo.InvariantCulture);
        _head = RowGrainStorage.KeyOf(AuditStateNames.Chain, this.GetGrainId());
        var stored = await rows.ReadAsync(_head);
        _committed = stored is null ? new AuditChainState() : serializer.Deserialize<AuditChainState>(stored.Payload)!;
        _version = stored?.Version ?? 0;
        _live = _committed.Copy();
        _commit = GroupCommit.Of(WriteAsync);
        for (var segment = Math.Max(0, _live.SealedSegments - SegmentsRemembered); segment < _live.SealedSegments; segment++)
        {
            Remember(await SegmentAsync(segment));
        }

        _recent.UnionWith(_live.Open.Select(e => e.Event.EventId));
    }

    public async Task AppendAgainAsync(AuditEvent[] events)
    {
        var unseen = events.Where(e => !_recent.Contains(e.EventId)).ToArray();
        var indexed = (await Task.WhenAll(unseen.Select(e => rows.ReadAsync(IndexKey(e.EventId))))).OfType<StoredRow>().Select(row => row.Key.Key).ToHashSet(StringComparer.Ordinal);
        await AppendAsync(events.Where(e => !indexed.Contains(e.EventId)).ToArray());
    }

    public async Task AppendAsync(AuditEvent[] events)
    {
        var started = Stopwatch.GetTimestamp();
        // Recording times never go back within a chain, whatever the clock does: the trail's order relies on it.
        var at = time.GetUtcNow() > _live.LastAt ? time.GetUtcNow() : _live.LastAt;
        foreach (var audited in events.Where(e => _recent.Add(e.EventId)))
        {
            var entry = AuditEntry.Create(_chain, _live.Count, at, audited, _live.HeadHash);
            _live.Open = [.. _live.Open, entry];
            _unindexed.Add(audited.EventId);
            (_live.Count, _live.HeadHash, _live.LastAt) = (entry.Sequence + 1, entry.Hash, at);
        }

        // A repeat waits too: its first sending may still be on its way to storage.
        await _commit.CommitAsync();
        metrics.AuditAppended(Stopwatch.GetElapsedTime(started));
    }

    private async Task WriteAsync()
    {
        var next = _live.Copy();
        var writes = new List<RowWrite>(2 + _unindexed.Count);
        var sealing = next.Open.Length >= AuditChains.SegmentSize ? next.Open : null;
        if (sealing is not null)
        {
            // The full segment, the head that lists it and the index rows in one commit: a segment is never stored
            // without its head. A stale activation's seal (its silo cut off while another took over) finds the segment
            // written or the head moved on, and fails whole instead of overwriting what the chain holds.
            writes.Add(RowWrite.Put(RowGrainStorage.KeyOf(AuditStateNames.Segment, AuditStorage.IdOf(_chain, next.SealedSegments)), serializer.SerializeToArray(new AuditSegmentState { Entries = sealing }), expectedVersion: 0));
            (next.SealedSegments, next.Open) = (next.SealedSegments + 1, []);
        }

        writes.Add(RowWrite.Put(_head, serializer.SerializeToArray(next), expectedVersion: _version));
        writes.AddRange(_unindexed.Select(id => RowWrite.Put(IndexKey(id), [])));
        _unindexed.Clear();
        try
        {
            await rows.CommitAsync(writes);
            _version++;
        }
        catch
        {
            // Memory is now ahead of storage: this activation steps down, the next starts from what is durable.
            DeactivateOnIdle();
            throw;
        }

        if (sealing is not null)
        {
            // Appends linked meanwhile stay open in the live head.
            (_live.SealedSegments, _live.Open) = (next.SealedSegments, _live.Open[sealing.Length..]);
            Remember(sealing);
        }

        _committed = next;
    }

    public async Task<AuditEntry[]> QueryAsync(AuditQuery query)
    {
        var committed = _committed;
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

    private RowKey IndexKey(string eventId) => new(AuditStateNames.EventIndex, AuditChains.Key(_chain), eventId);

    /// <summary>Keeps a sealed segment's event ids among the recent ones, forgetting the oldest segment beyond the window.</summary>
    private void Remember(AuditEntry[] sealedEntries)
    {
        _recentlySealed.Enqueue(sealedEntries);
        _recent.UnionWith(sealedEntries.Select(e => e.Event.EventId));
        if (_recentlySealed.Count > SegmentsRemembered)
        {
            _recent.ExceptWith(_recentlySealed.Dequeue().Select(e => e.Event.EventId));
        }
    }

    private async Task<AuditEntry[]> SegmentAsync(long segment)
    {
        if (_segmentCache.TryGetValue(segment, out var cached))
        {
            return cached;
        }

        var entries = await segments.ReadAsync(_chain, segment);
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

    public AuditChainState Copy() => new() { Count = Count, HeadHash = HeadHash, LastAt = LastAt, SealedSegments = SealedSegments, Open = Open };
}

/// <summary>The names under which the trail's grains store their state: the verifier reads storage by them.</summary>
public static class AuditStateNames
{
    public const string Chain = "audit-chain";
    public const string Segment = "audit-segment";

    /// <summary>The table of the event ids each chain holds, one row each.</summary>
    public const string EventIndex = "audit-event";
}
