using System.Text.Json;
using Broker.Faults.History;

namespace Broker.Faults.Workload;

/// <summary>Records one call as its invoke and its completion, with the request the answer showed.</summary>
public sealed class OperationRecorder(HistoryLog history)
{
    public async Task<(CallResult Result, RequestView? Request)> RecordAsync(HistoryEvent invoke, Func<Task<CallResult>> call)
    {
        var op = history.NextOp();
        history.Append(invoke with { Op = op, Type = EventType.Invoke, At = DateTimeOffset.UtcNow });
        var result = await call();
        var request = result is { Type: EventType.Ok, Body: { ValueKind: JsonValueKind.Object } body } && body.TryGetProperty("state", out _)
            ? RequestView.From(body)
            : null;
        history.Append(new HistoryEvent
        {
            Op = op,
            Type = result.Type,
            F = invoke.F,
            At = DateTimeOffset.UtcNow,
            Process = invoke.Process,
            Silo = invoke.Silo,
            Tenant = invoke.Tenant,
            Key = invoke.Key,
            RequestId = request?.Id ?? invoke.RequestId,
            Status = result.Status,
            Code = result.Code,
            Request = request,
            Error = result.Error,
        });
        return (result, request);
    }
}
