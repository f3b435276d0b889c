namespace Broker.Audit;

/// <summary>
/// One of the <see cref="AuditChains.Count"/> hash chains of the audit trail. Key: <see cref="AuditChains.Key"/>.
/// An event goes to the chain of its subject (<see cref="AuditChains.Of"/>), so one request's events are in
/// one chain, in order. Appends are acknowledged only once stored.
/// </summary>
[Alias("broker.IAuditChainGrain")]
public interface IAuditChainGrain : IGrainWithStringKey
{
    /// <summary>Records the events in order; an event whose id is among the chain's newest entries is a repeat and is skipped.</summary>
    [Alias("AppendAsync")]
    Task AppendAsync(AuditEvent[] events);

    /// <summary>
    /// As <see cref="AppendAsync"/>, for events sent before without knowing whether they arrived (a failed or
    /// interrupted send, an owner reactivated from storage): an event the chain holds is not recorded again, however old.
    /// </summary>
    [Alias("AppendAgainAsync")]
    Task AppendAgainAsync(AuditEvent[] events);

    /// <summary>Up to <see cref="AuditQuery.Limit"/> matching entries of this chain, newest first.</summary>
    [Alias("QueryAsync")]
    Task<AuditEntry[]> QueryAsync(AuditQuery query);
}

public static class AuditChains
{
    /// <summary>How many chains share the trail. Changing it orphans the chains already written.</summary>
    public const int Count = 16;

    /// <summary>
    /// How many entries the open segment holds before it is sealed. Every append rewrites the open segment, every
    /// seal writes one more record: small segments keep the bytes written per event low (measured on PostgreSQL).
    /// </summary>
    public const int SegmentSize = 8;

    public static string Key(int chain) => chain.ToString("D2", System.Globalization.CultureInfo.InvariantCulture);

    public static string SegmentKey(int chain, long segment) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{chain:D2}.{segment}");

    public static int Of(string subject) => StableShard.Of(subject, Count);

    /// <summary>Records each event in its subject's chain, in order within each chain; the chains in parallel. <paramref name="again"/>: see <see cref="IAuditChainGrain.AppendAgainAsync"/>.</summary>
    public static Task AppendAsync(IGrainFactory grains, IEnumerable<AuditEvent> events, bool again = false) =>
        Task.WhenAll(events.GroupBy(e => Of(e.Subject)).Select(chain => again
            ? grains.Reference<IAuditChainGrain>(Key(chain.Key)).AppendAgainAsync([.. chain])
            : grains.Reference<IAuditChainGrain>(Key(chain.Key)).AppendAsync([.. chain])));

    /// <summary>A page of the merged trail, newest first, and the cursor of the next page if there is one.</summary>
    public static async Task<(AuditEntry[] Entries, AuditPosition? Next)> QueryAsync(IGrainFactory grains, AuditQuery query)
    {
        // One more than asked tells whether a next page exists.
        var wider = query with { Limit = query.Limit + 1 };
        var chains = await Task.WhenAll(Enumerable.Range(0, Count).Select(chain => grains.Reference<IAuditChainGrain>(Key(chain)).QueryAsync(wider)));
        var merged = chains.SelectMany(c => c).OrderByDescending(e => e.Position).Take(query.Limit + 1).ToArray();
        var page = merged.Take(query.Limit).ToArray();
        return (page, merged.Length > query.Limit ? page[^1].Position : null);
    }
}
