namespace Broker.Faults.Checking.Checks;

/// <summary>
/// At rest, per pool, the units the data center counts as allocated are exactly the live allocations the requests
/// report there: none orphaned (counted, no request claims it), none leaked (claimed, not counted), nothing held.
/// </summary>
public static class PoolsBalance
{
    public const string Name = "pools-balance";

    public static IEnumerable<Violation> Check(CheckInput input)
    {
        var claimed = input.Final.Requests.Values.OfType<History.RequestView>()
            .Where(r => r.State == "allocated")
            .SelectMany(r => r.Parts)
            .GroupBy(p => (p.DataCenter, p.Resource))
            .ToDictionary(g => g.Key, g => g.Sum(p => p.Amount));
        var counted = input.Final.Pools.ToDictionary(p => (p.DataCenter, p.Resource));
        foreach (var key in input.Federation.Pools.Keys)
        {
            if (!counted.TryGetValue(key, out var pool))
            {
                yield return new Violation(Name, $"{key.DataCenter}/{key.Resource}", "the pool is missing from the data centers' final report");
                continue;
            }

            var live = claimed.GetValueOrDefault(key);
            if (pool.Allocated != live || pool.Held != 0)
            {
                yield return new Violation(Name, $"{key.DataCenter}/{key.Resource}", $"the data center counts {pool.Allocated} allocated and {pool.Held} held; the requests report {live} live");
            }
        }
    }
}
