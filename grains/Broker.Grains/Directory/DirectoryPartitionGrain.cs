using Broker.DataCenters;
using Broker.Directory;

namespace Broker.Grains.Directory;

/// <summary>
/// Keeps the newest summary of each data center in its slice and a counter of changes, so that a silo
/// pulls only what changed since its last look. In memory only: data centers republish themselves.
/// </summary>
public sealed class DirectoryPartitionGrain : Grain, IDirectoryPartitionGrain
{
    private readonly Guid _epoch = Guid.NewGuid();
    private readonly Dictionary<string, (DataCenterSummary Summary, long ChangedAt)> _entries = new(StringComparer.Ordinal);
    private long _version;

    public Task PublishAsync(DataCenterSummary summary)
    {
        if (!_entries.TryGetValue(summary.Id, out var known) || known.Summary.Version < summary.Version)
        {
            _entries[summary.Id] = (summary, ++_version);
        }

        return Task.CompletedTask;
    }

    public Task<DirectoryChanges> GetChangesAsync(Guid epoch, long sinceVersion)
    {
        var since = epoch == _epoch ? sinceVersion : 0;
        var changed = since >= _version
            ? []
            : _entries.Values.Where(e => e.ChangedAt > since).Select(e => e.Summary).ToArray();
        return Task.FromResult(new DirectoryChanges(_epoch, _version, changed));
    }
}
