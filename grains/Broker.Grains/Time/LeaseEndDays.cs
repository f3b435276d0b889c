namespace Broker.Grains.Time;

/// <summary>
/// Units of one class held by live allocations, by the day (UTC) their lease ends: how many are still held on or after
/// a moment, to the day and erring on the safe side (one ending earlier that day counts), in a walk over the days
/// leases end on — at most the ~366 a lease can reach — never over the allocations themselves.
/// </summary>
internal sealed class LeaseEndDays
{
    private readonly SortedDictionary<long, long> _units = [];

    public void Add(DateTimeOffset leaseEnd, long amount, int sign)
    {
        var day = DayOf(leaseEnd);
        var value = _units.GetValueOrDefault(day) + (sign * amount);
        if (value == 0)
        {
            _units.Remove(day);
        }
        else
        {
            _units[day] = value;
        }
    }

    /// <summary>Units whose lease ends on the day of <paramref name="at"/> or later: held at that moment, at most.</summary>
    public long HeldOnOrAfter(DateTimeOffset at)
    {
        var day = DayOf(at);
        return _units.Where(u => u.Key >= day).Sum(u => u.Value);
    }

    private static long DayOf(DateTimeOffset at) => at.UtcTicks / TimeSpan.TicksPerDay;
}
