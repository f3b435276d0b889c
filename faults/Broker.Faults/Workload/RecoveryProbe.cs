using Broker.Faults.History;
using Broker.Silo.Api;

namespace Broker.Faults.Workload;

/// <summary>
/// Small creates sent four times a second through the silos in turn, each on its own (not one at a time like a
/// client): when a fault has every client waiting on a call, new calls still begin, so the history shows when
/// service came back to within a quarter of a second. They are ordinary requests, checked like all others.
/// </summary>
public sealed class RecoveryProbe(SiloClients silos, OperationRecorder recorder, IReadOnlyList<(string Tenant, string Token)> tenants, QuietWindow quiet)
{
    public const int FirstProcess = 2000;
    private const int MaxInFlight = 64;
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    public async Task RunAsync(CancellationToken stop)
    {
        var inFlight = new List<Task>();
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            inFlight.RemoveAll(t => t.IsCompleted);
            if (inFlight.Count < MaxInFlight)
            {
                inFlight.Add(ProbeAsync(n));
            }

            await Task.Delay(Interval, stop).ContinueWith(_ => { }, TaskScheduler.Default); // the probing period
        }

        await Task.WhenAll(inFlight);
    }

    private Task ProbeAsync(int n)
    {
        var (tenant, token) = tenants[n % tenants.Count];
        var silo = n % silos.Count;
        var key = $"probe-{n}";
        var body = new BodySpec([new ItemSpec("compute.vcpu", 1)], quiet.Lease("PT20S", DateTimeOffset.UtcNow), false, "normal", null, null);
        return recorder.RecordAsync(
            new HistoryEvent { Op = 0, Type = EventType.Invoke, F = Operation.Create, At = default, Process = FirstProcess + n, Silo = silo, Tenant = tenant, Key = key, RequestId = RequestIds.FromIdempotencyKey(tenant, key), Body = body },
            () => silos.SendAsync(silo, HttpMethod.Post, "/v1/requests", token, body.ToJson(), key));
    }
}
