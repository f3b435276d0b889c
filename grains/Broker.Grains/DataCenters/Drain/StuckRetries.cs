using Broker.Domain;
using Broker.Grains.Directory;

namespace Broker.Grains.DataCenters.Drain;

/// <summary>
/// Which stuck moves a pass tries again: one whose part might fit somewhere now — the silo's directory shows at least
/// its amounts free of each class outside the drained data center, an optimistic look that ignores the constraints and
/// costs no grain call — and whose backoff has run out (1, 2, 4 and then every 8 passes after a failure). So a part
/// is tried again as capacity frees up, and one that cannot move costs a negotiation only now and then.
/// </summary>
internal sealed class StuckRetries(CapacityDirectory directory, string dataCenter)
{
    private const int LongestBackoff = 8;

    private readonly Dictionary<string, long> _nextTry = new(StringComparer.Ordinal);

    // Free units per class outside the drained data center, summed once per pass for all stuck parts.
    private readonly Dictionary<string, long> _freeElsewhere = new(StringComparer.Ordinal);

    /// <summary>A new pass: the directory is looked at afresh.</summary>
    public void BeginPass() => _freeElsewhere.Clear();

    public void Failed(string request, int attempts, long pass) =>
        _nextTry[request] = pass + Math.Min(LongestBackoff, 1L << Math.Clamp(attempts - 1, 0, 3));

    public void Forget(string request) => _nextTry.Remove(request);

    public void Clear() => _nextTry.Clear();

    public bool Due(string request, StuckMove stuck, long pass) =>
        (!_nextTry.TryGetValue(request, out var next) || next <= pass) && stuck.Needs.All(need => FreeElsewhere(need.Resource) >= need.Amount);

    private long FreeElsewhere(string resource)
    {
        if (!_freeElsewhere.TryGetValue(resource, out var free))
        {
            free = directory.Offering(resource)
                .Where(dc => dc.Id != dataCenter && !dc.Draining)
                .Sum(dc => dc.Pool(resource)?.FreeFor(Priority.High) ?? 0);
            _freeElsewhere[resource] = free;
        }

        return free;
    }
}
