using Broker.Faults.History;

namespace Broker.Faults.Checking;

/// <summary>One call: its invoke and its completion (none when the run ended while it was in flight).</summary>
public sealed record CompletedCall(HistoryEvent Invoke, HistoryEvent? Completion)
{
    public EventType Outcome => Completion?.Type ?? EventType.Unknown;

    public DateTimeOffset Ended => Completion?.At ?? DateTimeOffset.MaxValue;
}

/// <summary>What every check reads: the history paired into calls, grouped per request, and the final state.</summary>
public sealed class CheckInput
{
    public CheckInput(IReadOnlyList<HistoryEvent> history, FinalState final, FederationModel federation)
    {
        History = history;
        Final = final;
        Federation = federation;
        var completions = history.Where(e => e.Type is EventType.Ok or EventType.Fail or EventType.Unknown).ToDictionary(e => e.Op);
        Calls = history.Where(e => e.Type == EventType.Invoke)
            .Select(invoke => new CompletedCall(invoke, completions.GetValueOrDefault(invoke.Op)))
            .ToList();
        ByRequest = Calls.Where(c => c.Invoke.RequestId is not null).GroupBy(c => c.Invoke.RequestId!).ToDictionary(g => g.Key, g => (IReadOnlyList<CompletedCall>)g.ToList());
    }

    public IReadOnlyList<HistoryEvent> History { get; }

    public FinalState Final { get; }

    public FederationModel Federation { get; }

    public IReadOnlyList<CompletedCall> Calls { get; }

    public IReadOnlyDictionary<string, IReadOnlyList<CompletedCall>> ByRequest { get; }

    /// <summary>Every answer that showed the request as the broker had stored it, in the order they came back.</summary>
    public IEnumerable<(CompletedCall Call, RequestView Seen)> Observations(string requestId) =>
        ByRequest.GetValueOrDefault(requestId, [])
            .Where(c => c.Completion is { Type: EventType.Ok, Request: not null })
            .OrderBy(c => c.Completion!.At)
            .Select(c => (c, c.Completion!.Request!));
}
