using Broker.DataCenters;
using Broker.Domain;
using Broker.Federation;
using Broker.Requests;

namespace Broker.Grains.DataCenters;

/// <summary>
/// The capacity arithmetic of one data center, free of Orleans so it can be tested alone: pools,
/// durable allocations and short-lived holds. Every grant checks
/// <c>allocated + held + headroom ≤ floor(total × ratio)</c> (high priority may use the headroom).
/// </summary>
internal sealed class CapacityBook
{
    private readonly Dictionary<string, PoolDefinition> _pools = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StoredAllocation> _allocations;
    private readonly Dictionary<Guid, Hold> _holds = [];
    private readonly Dictionary<string, long> _allocated = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _held = new(StringComparer.Ordinal);

    public CapacityBook(IEnumerable<PoolDefinition> pools, Dictionary<string, StoredAllocation> allocations)
    {
        foreach (var pool in pools)
        {
            _pools[pool.Resource] = pool;
        }

        _allocations = allocations;
        foreach (var allocation in allocations.Values)
        {
            Add(_allocated, allocation.Items, +1);
        }
    }

    public IReadOnlyDictionary<string, StoredAllocation> Allocations => _allocations;

    public int HoldCount => _holds.Count;

    public IEnumerable<PoolDefinition> Pools => _pools.Values;

    public static long CapacityOf(PoolDefinition pool) => (long)Math.Floor(pool.Total * pool.AllocationRatio);

    /// <summary>Drops holds and leases that have ended. Returns whether any allocation went (state to persist).</summary>
    public bool PurgeExpired(DateTimeOffset now)
    {
        foreach (var (id, hold) in _holds.Where(h => h.Value.ExpiresAt <= now).ToArray())
        {
            _holds.Remove(id);
            Add(_held, hold.Items, -1);
        }

        var ended = _allocations.Where(a => a.Value.LeaseExpiresAt <= now).Select(a => a.Key).ToArray();
        foreach (var requestId in ended)
        {
            Release(requestId);
        }

        return ended.Length > 0;
    }

    /// <summary>Holds what the request asks for, or says why not. Nothing is held unless everything fits.</summary>
    public (Hold? Hold, string? DeclineReason) TryHold(HoldRequest request, DateTimeOffset expiresAt)
    {
        var granted = new List<RequestItem>(request.Items.Length);
        foreach (var item in request.Items)
        {
            if (!_pools.TryGetValue(item.Resource, out var pool))
            {
                return (null, DeclineReasons.ResourceNotOffered);
            }

            var free = Free(pool, request.Priority);
            var partial = request.AllowPartialStorage && ResourceClasses.IsStorage(item.Resource);
            var amount = partial ? LargestAcceptable(pool, Math.Min(item.Amount, free)) : item.Amount;
            if (!partial && !Accepts(pool, amount))
            {
                return (null, DeclineReasons.UnitMismatch);
            }

            if (amount <= 0 || amount > free)
            {
                // Say whether other requests' holds are in the way: they end within a round, so a retry may succeed.
                var freeWithoutHolds = free + _held.GetValueOrDefault(item.Resource);
                return (null, item.Amount <= freeWithoutHolds ? DeclineReasons.CapacityHeld : DeclineReasons.InsufficientCapacity);
            }

            granted.Add(item with { Amount = amount });
        }

        var hold = new Hold(Guid.NewGuid(), request.RequestId, granted.ToArray(), expiresAt);
        _holds[hold.Id] = hold;
        Add(_held, hold.Items, +1);
        return (hold, null);
    }

    public decimal PriceOf(string resource) => _pools[resource].PricePerUnitHour;

    /// <summary>The highest utilisation among the given pools, 0..1.</summary>
    public double UtilisationOf(IEnumerable<string> resources) =>
        resources.Select(r => Utilisation(_pools[r])).DefaultIfEmpty(0).Max();

    /// <summary>Turns a live hold into an allocation. True also when the request already holds this allocation (a retry).</summary>
    public bool Confirm(Guid holdId, string requestId, DateTimeOffset leaseExpiresAt)
    {
        if (!_holds.Remove(holdId, out var hold))
        {
            return _allocations.ContainsKey(requestId);
        }

        Add(_held, hold.Items, -1);
        if (_allocations.ContainsKey(requestId) || hold.RequestId != requestId)
        {
            return _allocations.ContainsKey(requestId);
        }

        _allocations[requestId] = new StoredAllocation(hold.Items, leaseExpiresAt);
        Add(_allocated, hold.Items, +1);
        return true;
    }

    public bool CancelHold(Guid holdId)
    {
        if (!_holds.Remove(holdId, out var hold))
        {
            return false;
        }

        Add(_held, hold.Items, -1);
        return true;
    }

    public bool Release(string requestId)
    {
        if (!_allocations.Remove(requestId, out var allocation))
        {
            return false;
        }

        Add(_allocated, allocation.Items, -1);
        return true;
    }

    public bool Renew(string requestId, DateTimeOffset leaseExpiresAt)
    {
        if (!_allocations.TryGetValue(requestId, out var allocation))
        {
            return false;
        }

        _allocations[requestId] = allocation with { LeaseExpiresAt = leaseExpiresAt };
        return true;
    }

    /// <summary>Allocated plus held units of a class: what a pool change may not go below.</summary>
    public long InUse(string resource) => _allocated.GetValueOrDefault(resource) + _held.GetValueOrDefault(resource);

    public bool HasPool(string resource) => _pools.ContainsKey(resource);

    public void SetPool(PoolDefinition pool) => _pools[pool.Resource] = pool;

    public PoolDefinition? Pool(string resource) => _pools.GetValueOrDefault(resource);

    public PoolSummary Summarise(PoolDefinition pool) => new()
    {
        Resource = pool.Resource,
        Total = pool.Total,
        Capacity = CapacityOf(pool),
        Headroom = pool.Headroom,
        Allocated = _allocated.GetValueOrDefault(pool.Resource),
        Held = _held.GetValueOrDefault(pool.Resource),
        MinUnit = pool.MinUnit,
        MaxUnit = pool.MaxUnit,
        Step = pool.Step,
        PricePerUnitHour = pool.PricePerUnitHour,
        AllocationRatio = pool.AllocationRatio,
    };

    private static bool Accepts(PoolDefinition pool, long amount) =>
        amount >= pool.MinUnit && amount <= pool.MaxUnit && amount % pool.Step == 0;

    /// <summary>The largest amount ≤ <paramref name="limit"/> the pool's unit rules admit, or 0.</summary>
    private static long LargestAcceptable(PoolDefinition pool, long limit)
    {
        var amount = Math.Min(limit, pool.MaxUnit);
        amount -= amount % pool.Step;
        return amount >= pool.MinUnit ? amount : 0;
    }

    private long Free(PoolDefinition pool, Priority priority) =>
        Math.Max(0, CapacityOf(pool) - InUse(pool.Resource) - (priority == Priority.High ? 0 : pool.Headroom));

    private double Utilisation(PoolDefinition pool)
    {
        var capacity = CapacityOf(pool);
        return capacity == 0 ? 1.0 : (double)InUse(pool.Resource) / capacity;
    }

    private static void Add(Dictionary<string, long> totals, RequestItem[] items, int sign)
    {
        foreach (var item in items)
        {
            totals[item.Resource] = totals.GetValueOrDefault(item.Resource) + (sign * item.Amount);
        }
    }
}

/// <summary>A hold: capacity set aside for one request until it confirms, cancels or the hold ends.</summary>
internal sealed record Hold(Guid Id, string RequestId, RequestItem[] Items, DateTimeOffset ExpiresAt);

/// <summary>A confirmed allocation as the data center persists it.</summary>
[GenerateSerializer, Immutable, Alias("broker.stored-allocation")]
public sealed record StoredAllocation([property: Id(0)] RequestItem[] Items, [property: Id(1)] DateTimeOffset LeaseExpiresAt);
