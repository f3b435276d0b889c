using Broker.Faults.Checking;
using Broker.Faults.History;

namespace Broker.Faults;

/// <summary>What a fault run did and found.</summary>
public sealed record FaultRunResult(
    FaultRunOptions Options,
    TimeSpan Ran,
    long Operations,
    IReadOnlyDictionary<string, int> OperationsByOutcome,
    IReadOnlyDictionary<string, int> FaultsByKind,
    IReadOnlyList<Recovery> Recoveries,
    int PoolSamples,
    int RequestsChecked,
    IReadOnlyList<Violation> Violations)
{
    public static FaultRunResult From(FaultRunOptions options, TimeSpan ran, CheckInput input, IReadOnlyList<Violation> violations) => new(
        options,
        ran,
        input.Calls.Count(c => c.Invoke.F is not (Operation.Pools or Operation.Nemesis)),
        input.Calls.Where(c => c.Invoke.F is not (Operation.Pools or Operation.Nemesis))
            .GroupBy(c => $"{c.Invoke.F.ToString().ToLowerInvariant()} {c.Outcome.ToString().ToLowerInvariant()}")
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count()),
        input.History.Where(e => e is { F: Operation.Nemesis, Type: EventType.Fault }).GroupBy(e => e.Code!).ToDictionary(g => g.Key, g => g.Count()),
        RecoveryTimes.Of(input),
        input.Calls.Count(c => c is { Invoke.F: Operation.Pools, Outcome: EventType.Ok }),
        input.Final.Requests.Count,
        violations);
}
