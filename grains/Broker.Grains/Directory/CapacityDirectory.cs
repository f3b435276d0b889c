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

    // Resource class -> the data centers with a pool of it: a request looks only at those, so the cost of choosing
    // candidates grows with the offers of a class, not with the size of the federation.
    private readonly ConcurrentDictionary<string, OfferingSet> _byResource = new(StringComparer.Ordinal);

    public ICollection<DataCenterSummary> All => _summaries.Values;

    /// <summary>The ids of the data centers with a pool of <paramref name="resource"/>, in a random order fixed until the set changes.</summary>
    public IReadOnlyList<string> OfferingInRandomOrder(string resource) =>
        _byResource.TryGetValue(resource, out var set) ? set.InRandomOrder() : [];

    /// <summary>The data centers with a pool of <paramref name="resource"/> (pools are never removed, only resized).</summary>
    public IEnumerable<DataCenterSummary> Offering(string resource) =>
        _byResource.TryGetValue(resource, out var set)
            ? set.Ids.Select(Find).OfType<DataCenterSummary>()
            : [];

    public DataCenterSummary? Find(string dataCenterId) => _summaries.GetValueOrDefault(dataCenterId);

    /// <summary>
    /// Keeps <paramref name="summary"/> unless a newer one of the same data center is already known. The class index is
    /// written before the summary: a reader that finds the summary also finds it listed (a listed data center without a
    /// summary yet counts as unseen, and is asked directly) — the other order answered servable requests "unsatisfiable"
    /// on a silo filling its directory after a restart.
    /// </summary>
    public void Apply(DataCenterSummary summary)
    {
        var known = _summaries.GetValueOrDefault(summary.Id);
        if (known is not null && known.Version >= summary.Version)
        {
            return;
        }

        foreach (var pool in summary.Pools)
        {
            _byResource.GetOrAdd(pool.Resource, _ => new OfferingSet()).Add(summary.Id);
        }

        _summaries.AddOrUpdate(summary.Id, summary, (_, current) => current.Version >= summary.Version ? current : summary);
    }

    private static string[] Shuffled(ICollection<string> ids)
    {
        var array = ids.ToArray();
        Random.Shared.Shuffle(array);
        return array;
    }

    /// <summary>
    /// The ids offering one class, and a random order of them that a reader builds once and others share. The order
    /// is kept only while it holds every id: one built from before an id joined is rebuilt by the next reader (it used
    /// to be cached for good when an id joined while a reader built it).
    /// </summary>
    private sealed class OfferingSet
    {
        private readonly ConcurrentDictionary<string, bool> _ids = new(StringComparer.Ordinal);
        private int _count;
        private string[] _inRandomOrder = [];

        public ICollection<string> Ids => _ids.Keys;

        public void Add(string id)
        {
            if (_ids.TryAdd(id, true))
            {
                Interlocked.Increment(ref _count);
            }
        }

        public string[] InRandomOrder()
        {
            var order = Volatile.Read(ref _inRandomOrder);
            if (order.Length >= Volatile.Read(ref _count))
            {
                return order;
            }

            // Every id counted is in the dictionary already (added before counted): the copy holds at least that many.
            var fresh = Shuffled(_ids.Keys);
            Volatile.Write(ref _inRandomOrder, fresh);
            return fresh;
        }
    }
}
