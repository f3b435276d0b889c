using Broker.Faults.History;

namespace Broker.Faults.Checking;

/// <summary>
/// One allocated part's lifetime as its request reports it: from its decision to its end (or to the final read). A
/// request decided after its lease had already run out (its negotiation outlasted the lease) held nothing: its end
/// is before its decision, and its lifetime is empty.
/// </summary>
public sealed record PartLifetime(RequestView Request, PartView Part, DateTimeOffset From, DateTimeOffset To);

public static class Lifetimes
{
    public static IEnumerable<PartLifetime> Of(FinalState final) =>
        final.Requests.Values.OfType<RequestView>()
            .Where(r => r.Decision == "allocated" && r.DecidedAt is not null)
            .SelectMany(r => r.Parts.Select(p => new PartLifetime(r, p, r.DecidedAt!.Value, Max(r.DecidedAt!.Value, r.EndedAt ?? final.ReadAt))));

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    /// <summary>The most units held at once, and when: a sweep over starts and ends (an end at the same instant as a start frees first).</summary>
    public static (long Peak, DateTimeOffset At) Peak(IEnumerable<PartLifetime> lifetimes)
    {
        var edges = lifetimes.Where(l => l.To > l.From).SelectMany(l => new[] { (At: l.From, Delta: l.Part.Amount), (At: l.To, Delta: -l.Part.Amount) })
            .OrderBy(e => e.At).ThenBy(e => e.Delta);
        long level = 0, peak = 0;
        var peakAt = DateTimeOffset.MinValue;
        foreach (var (at, delta) in edges)
        {
            level += delta;
            if (level > peak)
            {
                (peak, peakAt) = (level, at);
            }
        }

        return (peak, peakAt);
    }
}
