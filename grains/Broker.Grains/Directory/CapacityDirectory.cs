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

    public ICollection<DataCenterSummary> All => _summaries.Values;

    public DataCenterSummary? Find(string dataCenterId) => _summaries.GetValueOrDefault(dataCenterId);

    /// <summary>Keeps <paramref name="summary"/> unless a newer one of the same data center is already known.</summary>
    public void Apply(DataCenterSummary summary) =>
        _summaries.AddOrUpdate(
            summary.Id,
            summary,
            (_, known) => known.Version >= summary.Version ? known : summary);
}
