using System.Collections.Concurrent;

namespace Broker.Grains.Tenants;

/// <summary>
/// How many of one tenant's requests negotiate at once on this silo. A request enters before it is accepted and
/// leaves once decided; a tenant at its cap gets <c>429 too-many-negotiations</c>, so one authority's burst cannot
/// occupy every data center's holds. Silo-local on purpose: asking a grain for it cost two calls per request; the cap
/// holds per silo (a tenant's requests spread over the silos), and after a silo failure its count starts afresh.
/// </summary>
public sealed class NegotiationGate
{
    private readonly ConcurrentDictionary<string, int> _inFlight = new(StringComparer.Ordinal);

    /// <summary>Counts the request in, unless the tenant already has <paramref name="limit"/> negotiating here.</summary>
    public bool TryEnter(string tenant, int limit)
    {
        while (true)
        {
            var current = _inFlight.GetOrAdd(tenant, 0);
            if (current >= limit)
            {
                return false;
            }

            if (_inFlight.TryUpdate(tenant, current + 1, current))
            {
                return true;
            }
        }
    }

    /// <summary>Counts a decided request out (once per successful <see cref="TryEnter"/>).</summary>
    public void Leave(string tenant)
    {
        while (true)
        {
            if (!_inFlight.TryGetValue(tenant, out var current))
            {
                return;
            }

            if (current <= 1 ? _inFlight.TryRemove(new KeyValuePair<string, int>(tenant, current)) : _inFlight.TryUpdate(tenant, current - 1, current))
            {
                return;
            }
        }
    }

    /// <summary>How many of the tenant's requests negotiate on this silo now.</summary>
    public int Count(string tenant) => _inFlight.GetValueOrDefault(tenant);
}
