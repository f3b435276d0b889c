namespace Broker.LoadTests.Targets;

/// <summary>One pool as both targets see it, and how a set of them becomes a <see cref="CapacitySample"/>.</summary>
public readonly record struct PoolReading(string Provider, long Capacity, long Allocated, long Held);

public static class CapacityMath
{
    public static CapacitySample Sample(IEnumerable<PoolReading> pools)
    {
        var all = pools.ToArray();
        var utilisation = all.GroupBy(p => p.Provider)
            .ToDictionary(g => g.Key, g => g.Average(p => p.Capacity == 0 ? 0 : (double)p.Allocated / p.Capacity), StringComparer.Ordinal);
        return new CapacitySample(utilisation, all.Count(p => p.Allocated + p.Held > p.Capacity), all.Sum(p => p.Allocated), all.Length);
    }
}
