using Broker.Tenants;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;

namespace Broker.Grains.Tenants;

/// <inheritdoc cref="INegotiationGateGrain"/>
[Reentrant]
public sealed class NegotiationGateGrain([FromKeyedServices(BrokerTime.Key)] TimeProvider time) : Grain, INegotiationGateGrain
{
    // A negotiation ends within seconds; one that never left (its grain died) must not block the tenant for ever.
    private static readonly TimeSpan Forget = TimeSpan.FromMinutes(2);

    private readonly Dictionary<string, DateTimeOffset> _inFlight = new(StringComparer.Ordinal);

    public Task<bool> TryEnterAsync(string requestId, int limit)
    {
        var now = time.GetUtcNow();
        if (!_inFlight.ContainsKey(requestId) && _inFlight.Count >= limit)
        {
            // Forgotten entries only matter at the limit: swept there, not on every request's way in.
            foreach (var stale in _inFlight.Where(e => now - e.Value > Forget).Select(e => e.Key).ToList())
            {
                _inFlight.Remove(stale);
            }

            if (_inFlight.Count >= limit)
            {
                return Task.FromResult(false);
            }
        }

        _inFlight[requestId] = now;
        return Task.FromResult(true);
    }

    public Task LeaveAsync(string requestId)
    {
        _inFlight.Remove(requestId);
        return Task.CompletedTask;
    }

    public Task<int> CountAsync() => Task.FromResult(_inFlight.Count);
}
