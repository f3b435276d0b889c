using Broker.Faults.History;

namespace Broker.Faults.Checking.Checks;

/// <summary>
/// No pool is ever over its limit (the limit from the federation file): not in any sample the data centers gave
/// during the run, not at the end, and not at any moment of the allocations' own lifetimes as the requests report them.
/// </summary>
public static class PoolLimits
{
    public const string Name = "pools-within-limits";

    public static IEnumerable<Violation> Check(CheckInput input)
    {
        var samples = input.History.Where(e => e is { F: Operation.Pools, Type: EventType.Ok, Pools: not null }).Select(e => (e.At, e.Pools!)).Append((input.Final.ReadAt, input.Final.Pools.ToArray()));
        var reported = new HashSet<(string, string)>();
        foreach (var (at, pools) in samples)
        {
            foreach (var pool in pools)
            {
                if (input.Federation.Pools.TryGetValue((pool.DataCenter, pool.Resource), out var limit) && pool.Allocated + pool.Held > limit.Capacity && reported.Add((pool.DataCenter, pool.Resource)))
                {
                    yield return new Violation(Name, $"{pool.DataCenter}/{pool.Resource}", $"at {at:O} the data center reported {pool.Allocated} allocated + {pool.Held} held of {limit.Capacity}");
                }
            }
        }

        var lifetimes = Lifetimes.Of(input.Final).GroupBy(l => (l.Part.DataCenter, l.Part.Resource));
        foreach (var pool in lifetimes)
        {
            var (peak, at) = Lifetimes.Peak(pool);
            if (input.Federation.Pools.TryGetValue(pool.Key, out var limit) && peak > limit.Capacity)
            {
                yield return new Violation(Name, $"{pool.Key.DataCenter}/{pool.Key.Resource}", $"at {at:O} the requests held {peak} of {limit.Capacity}");
            }
        }
    }
}
