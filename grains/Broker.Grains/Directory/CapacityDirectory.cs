using System.Collections.Concurrent;
using Broker.DataCenters;

namespace Broker.Grains.Directory;

/// <summary>
/// This silo's copy of the capacity directory: the newest known summary of every data center. It may lag
/// the data centers by a refresh interval; it only chooses whom to ask, the data center grain decides.
/// </summary>
public sealed class CapacityDirectory
{
    private readonly ConcurrentDictionary<string, DataCenterSummary> _summaries = new(StringComparer.Ordinal);

    // Resource class -> ids of the data centers with a pool of it: a request looks only at those, so the
    // cost of choosing candidates grows with the offers of a class, not with the size of the federation.
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, bool>> _byResource = new(StringComparer.Ordinal);

    // Resource class -> the same ids as an array in random order, rebuilt only when a data center starts
    // offering the class: a window of it anywhere is a fair sample, and reading it locks nothing.
    private readonly ConcurrentDictionary<string, string[]> _shuffled = new(StringComparer.Ordinal);

    public ICollection<DataCenterSummary> All => _summaries.Values;

    /// <summary>The ids of the data centers with a pool of <paramref name="resource"/>, in a random order fixed until the set changes.</summary>
    public IReadOnlyList<string> OfferingInRandomOrder(string resource) =>
        _shuffled.TryGetValue(resource, out var ids) ? ids
        : _byResource.TryGetValue(resource, out var set) ? _shuffled.GetOrAdd(resource, _ => Shuffled(set.Keys))
        : [];

    /// <summary>The data centers with a pool of <paramref name="resource"/> (pools are never removed, only resized).</summary>
    public IEnumerable<DataCenterSummary> Offering(string resource) =>
        _byResource.TryGetValue(resource, out var ids)
            ? ids.Keys.Select(Find).OfType<DataCenterSummary>()
            : [];

    public DataCenterSummary? Find(string dataCenterId) => _summaries.GetValueOrDefault(dataCenterId);

    /// <summary>Keeps <paramref name="summary"/> unless a newer one of the same data center is already known.</summary>
    public void Apply(DataCenterSummary summary)
    {
        var current = _summaries.AddOrUpdate(
            summary.Id,
            summary,
            (_, known) => known.Version >= summary.Version ? known : summary);
        foreach (var pool in current.Pools)
        {
            if (_byResource.GetOrAdd(pool.Resource, _ => new ConcurrentDictionary<string, bool>(StringComparer.Ordinal)).TryAdd(summary.Id, true))
            {
                _shuffled.TryRemove(pool.Resource, out _);
            }
        }
    }

    private static string[] Shuffled(ICollection<string> ids)
    {
        var array = ids.ToArray();
        Random.Shared.Shuffle(array);
        return array;
    }
}
