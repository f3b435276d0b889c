using Broker.Faults.History;

namespace Broker.Faults.Checking;

/// <summary>How long one fault kept the service away: from when service could be expected again to the first allocation decided after it.</summary>
public sealed record Recovery(string Kind, int? Silo, DateTimeOffset FaultAt, DateTimeOffset From, TimeSpan? After);

/// <summary>
/// Service is back after each fault within <see cref="Target"/>: the first answer "allocated" to a create begun after the
/// reference moment, through a silo the fault did not hit. The reference is the fault itself where two silos
/// stay up (kill, pause, partition: the cluster must carry on without the third), and the database's return for
/// its restarts and outages (nothing can be stored while it is gone).
/// </summary>
public static class RecoveryTimes
{
    public const string Name = "service-back-within-5s";
    public static readonly TimeSpan Target = TimeSpan.FromSeconds(5);

    public static IReadOnlyList<Recovery> Of(CheckInput input)
    {
        // In the order they were answered: a call begun during the fault may hang until the silo is declared dead while
        // a later one is served at once — the service was back at that later answer.
        var decisions = input.Calls
            .Where(c => c.Invoke.F == Operation.Create && c.Completion is { Type: EventType.Ok, Request.State: "allocated" })
            .OrderBy(c => c.Completion!.At)
            .ToList();
        var events = input.History.Where(e => e.F == Operation.Nemesis).ToList();
        var recoveries = new List<Recovery>();
        foreach (var fault in events.Where(e => e.Type == EventType.Fault))
        {
            var heal = events.FirstOrDefault(e => e.Type == EventType.Heal && e.Code == fault.Code && e.Silo == fault.Silo && e.At >= fault.At);
            var from = fault.Code!.StartsWith("database", StringComparison.Ordinal) ? heal?.At ?? DateTimeOffset.MaxValue : fault.At;
            var first = decisions.FirstOrDefault(c => c.Invoke.At >= from && c.Invoke.Silo != fault.Silo);
            recoveries.Add(new Recovery(fault.Code, fault.Silo, fault.At, from, first is null ? null : first.Completion!.At - from));
        }

        return recoveries;
    }

    public static IEnumerable<Violation> Check(CheckInput input) =>
        Of(input).Where(r => r.After is null || r.After > Target).Select(r => new Violation(
            Name,
            $"{r.Kind}{(r.Silo is null ? "" : $" of silo {r.Silo}")} at {r.FaultAt:O}",
            r.After is null ? "no allocation was decided after it" : $"the first allocation after it was decided {r.After.Value.TotalSeconds:F2} s later"));
}
