using Broker.Faults.History;
using Broker.Silo.Api;

namespace Broker.Faults.Workload;

/// <summary>
/// One client of the workload: one call at a time, as an authority's automation would make them — create
/// (retried with the same Idempotency-Key through another silo while the outcome is unknown), the same key sent
/// at once with two different bodies, renew, release and read of its own requests.
/// </summary>
public sealed class ClientProcess(int process, string tenant, string token, int seed, SiloClients silos, OperationRecorder recorder, OperationBudget budget, QuietWindow quiet)
{
    private const int CreateAttempts = 4;
    private readonly Random _random = new(seed);
    private readonly List<string> _live = [];
    private readonly List<string> _known = [];
    private int _keys;

    public async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested && budget.TryTake())
        {
            var roll = _random.Next(100);
            if (roll < 40 || _known.Count == 0)
            {
                await CreateAsync(NewKey(), NextBody(), _random.Next(silos.Count));
            }
            else if (roll < 44)
            {
                await RaceAsync();
            }
            else if (roll < 56 && _live.Count > 0)
            {
                await RenewAsync(_live[_random.Next(_live.Count)]);
            }
            else if (roll < 78 && _live.Count > 0)
            {
                await ReleaseAsync(_live[_random.Next(_live.Count)]);
            }
            else
            {
                await ReadAsync(_known[_random.Next(_known.Count)]);
            }
        }
    }

    private string NewKey() => $"p{process}-{_keys++}";

    private BodySpec NextBody()
    {
        var body = BodyFactory.Next(_random);
        return body with { Lease = quiet.Lease(body.Lease, DateTimeOffset.UtcNow) };
    }

    private async Task CreateAsync(string key, BodySpec body, int silo)
    {
        var id = RequestIds.FromIdempotencyKey(tenant, key);
        _known.Add(id);
        for (var attempt = 0; attempt < CreateAttempts; attempt++)
        {
            var (result, request) = await SubmitAsync(process, key, body, (silo + attempt) % silos.Count);
            if (result.Type != EventType.Unknown && result.Code != SiloClients.ConnectionRefused)
            {
                if (request is { State: "negotiating" })
                {
                    await ReadAsync(id); // a 202: the client polls once, the checker resolves the rest from the final state
                }

                Track(request);
                return;
            }
        }
    }

    /// <summary>The same key at once through two silos with bodies that differ: exactly one body may win.</summary>
    private async Task RaceAsync()
    {
        var key = NewKey();
        var body = NextBody();
        var silo = _random.Next(silos.Count);
        _known.Add(RequestIds.FromIdempotencyKey(tenant, key));
        var answers = await Task.WhenAll(
            SubmitAsync(process, key, body, silo),
            SubmitAsync(process + OperationBudget.ShadowProcessOffset, key, BodyFactory.Variant(body), (silo + 1) % silos.Count));
        foreach (var (_, request) in answers)
        {
            Track(request);
        }
    }

    private Task<(CallResult Result, RequestView? Request)> SubmitAsync(int caller, string key, BodySpec body, int silo) =>
        recorder.RecordAsync(
            new HistoryEvent { Op = 0, Type = EventType.Invoke, F = Operation.Create, At = default, Process = caller, Silo = silo, Tenant = tenant, Key = key, RequestId = RequestIds.FromIdempotencyKey(tenant, key), Body = body },
            () => silos.SendAsync(silo, HttpMethod.Post, "/v1/requests", token, body.ToJson(), key));

    private async Task RenewAsync(string id)
    {
        var lease = quiet.Lease(_random.Next(2) == 0 ? "PT45S" : "PT2M", DateTimeOffset.UtcNow);
        var silo = _random.Next(silos.Count);
        var (_, request) = await recorder.RecordAsync(
            Invoke(Operation.Renew, silo, id) with { Lease = lease },
            () => silos.SendAsync(silo, HttpMethod.Post, $"/v1/requests/{id}/renew", token, new { lease }));
        Track(request);
    }

    private async Task ReleaseAsync(string id)
    {
        var silo = _random.Next(silos.Count);
        var (result, request) = await recorder.RecordAsync(Invoke(Operation.Release, silo, id), () => silos.SendAsync(silo, HttpMethod.Delete, $"/v1/requests/{id}", token));
        if (result.Type == EventType.Fail && result.Code != SiloClients.ConnectionRefused)
        {
            _live.Remove(id);
        }

        Track(request);
    }

    private async Task ReadAsync(string id)
    {
        var silo = _random.Next(silos.Count);
        var (_, request) = await recorder.RecordAsync(Invoke(Operation.Read, silo, id), () => silos.SendAsync(silo, HttpMethod.Get, $"/v1/requests/{id}", token));
        Track(request);
    }

    private HistoryEvent Invoke(Operation f, int silo, string id) =>
        new() { Op = 0, Type = EventType.Invoke, F = f, At = default, Process = process, Silo = silo, Tenant = tenant, RequestId = id };

    /// <summary>Keeps the list of this client's live allocations up to date with what the broker last said.</summary>
    private void Track(RequestView? request)
    {
        if (request is null)
        {
            return;
        }

        _live.Remove(request.Id);
        if (request.State == "allocated")
        {
            _live.Add(request.Id);
        }
    }
}
