namespace Broker.Grains.Time;

/// <summary>
/// Units booked over time for one class (a pool's reservations, a contract's windows) as an ordered timeline of changes:
/// +amount at each window's start, −amount at its end (exclusive), changes at one instant summed, zeros dropped. The
/// most booked at any moment of a window is one ordered walk up to the window's end: its cost is the bookings ahead,
/// never the allocations.
/// </summary>
internal sealed class ReservedTimeline
{
    private readonly SortedDictionary<DateTimeOffset, long> _changes = [];

    public bool IsEmpty => _changes.Count == 0;

    /// <summary>Books (<paramref name="sign"/> +1) or gives back (−1) <paramref name="amount"/> units over [start, end).</summary>
    public void Add(DateTimeOffset start, DateTimeOffset end, long amount, int sign)
    {
        Change(start, sign * amount);
        Change(end, -sign * amount);
    }

    /// <summary>The most units booked at any moment of [from, to); 0 for an empty window or timeline.</summary>
    public long Most(DateTimeOffset from, DateTimeOffset to)
    {
        if (_changes.Count == 0 || to <= from)
        {
            return 0;
        }

        var running = 0L;
        long? most = null;
        foreach (var (at, change) in _changes)
        {
            if (at > from && most is null)
            {
                most = running; // booked at the window's start: everything that began before it and has not ended
            }

            if (at >= to)
            {
                break;
            }

            running += change;
            if (at > from)
            {
                most = Math.Max(most!.Value, running);
            }
        }

        return Math.Max(0, most ?? running);
    }

    private void Change(DateTimeOffset at, long delta)
    {
        var value = _changes.GetValueOrDefault(at) + delta;
        if (value == 0)
        {
            _changes.Remove(at);
        }
        else
        {
            _changes[at] = value;
        }
    }
}
