namespace Broker.Grains.Storage;

/// <summary>
/// The version guard of one grain's main row: what version this activation last read or wrote, and when. Every write
/// expects that version, so an activation that lost a race (two activations of one grain during a membership change)
/// fails its next write. Answers given without a write — "not held", "nothing to release", a lease that ended — are
/// guarded by <see cref="NewerStoredAsync"/>: an activation on a silo that was cut off or paused, and not yet told,
/// must not answer from its memory while another activation has moved on.
/// </summary>
internal sealed class GuardedRow(IRowStore rows, RowKey key, TimeProvider time)
{
    /// <summary>
    /// How long what this activation last read or wrote may be answered from memory. Shorter than the fastest a silo
    /// can be declared dead (two missed probes of a second each), so no other activation can have written meanwhile —
    /// unless this one runs on a silo that was cut off or paused, which a check then reveals.
    /// </summary>
    public static readonly TimeSpan FreshFor = TimeSpan.FromSeconds(1);

    private long _confirmedAt = long.MinValue;

    public RowKey Key => key;

    /// <summary>The version the next write expects (0: nothing stored yet).</summary>
    public long Version { get; private set; }

    public async Task<StoredRow?> LoadAsync()
    {
        var row = await rows.ReadAsync(key);
        Version = row?.Version ?? 0;
        _confirmedAt = time.GetTimestamp();
        return row;
    }

    /// <summary>A commit that carried <see cref="Version"/> as the row's expected version went through.</summary>
    public void Wrote()
    {
        Version++;
        _confirmedAt = time.GetTimestamp();
    }

    /// <summary>
    /// The stored row if another activation has written it since this one last touched it; null while memory still
    /// holds what is stored. Reads storage only when memory is older than <see cref="FreshFor"/>, unless
    /// <paramref name="evenIfFresh"/>: two activations can both be alive (a partition healed before either silo was
    /// declared dead), and then a second says nothing — an answer that ends something reads storage every time.
    /// </summary>
    public async Task<StoredRow?> NewerStoredAsync(bool evenIfFresh = false)
    {
        if (!evenIfFresh && time.GetElapsedTime(_confirmedAt) < FreshFor)
        {
            return null;
        }

        var known = Version;
        var row = await rows.ReadAsync(key);
        if (row is null || row.Version == known)
        {
            _confirmedAt = time.GetTimestamp();
            return null;
        }

        return row;
    }
}
