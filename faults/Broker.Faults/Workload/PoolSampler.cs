using System.Text.Json;
using Broker.Faults.History;

namespace Broker.Faults.Workload;

/// <summary>
/// Reads every pool from the data centers themselves (the providers' data-center view is read from the data
/// center grains) twice a second during the run, through the silos in turn; each sample is a history line.
/// </summary>
public sealed class PoolSampler(SiloClients silos, HistoryLog history, IReadOnlyList<string> providers, string adminToken)
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    public async Task RunAsync(CancellationToken stop)
    {
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            await SampleAsync(n % silos.Count);
            await Task.Delay(Interval, stop).ContinueWith(_ => { }, TaskScheduler.Default); // the sampling period
        }
    }

    /// <summary>One sample of every pool through <paramref name="silo"/>; null when any provider's read failed.</summary>
    public async Task<PoolView[]?> SampleAsync(int silo)
    {
        var op = history.NextOp();
        history.Append(new HistoryEvent { Op = op, Type = EventType.Invoke, F = Operation.Pools, At = DateTimeOffset.UtcNow, Silo = silo });
        var pools = new List<PoolView>();
        foreach (var provider in providers)
        {
            var result = await silos.SendAsync(silo, HttpMethod.Get, $"/v1/providers/{provider}/datacenters", adminToken);
            if (result is not { Type: EventType.Ok, Body: { } body })
            {
                history.Append(new HistoryEvent { Op = op, Type = result.Type, F = Operation.Pools, At = DateTimeOffset.UtcNow, Silo = silo, Status = result.Status, Error = result.Error });
                return null;
            }

            pools.AddRange(Read(body));
        }

        var sample = pools.ToArray();
        history.Append(new HistoryEvent { Op = op, Type = EventType.Ok, F = Operation.Pools, At = DateTimeOffset.UtcNow, Silo = silo, Pools = sample });
        return sample;
    }

    private static IEnumerable<PoolView> Read(JsonElement dataCenters) =>
        dataCenters.EnumerateArray().SelectMany(dc => dc.GetProperty("pools").EnumerateArray().Select(p => new PoolView(
            dc.GetProperty("id").GetString()!,
            p.GetProperty("resource").GetString()!,
            p.GetProperty("capacity").GetInt64(),
            p.GetProperty("allocated").GetInt64(),
            p.GetProperty("held").GetInt64())));
}
