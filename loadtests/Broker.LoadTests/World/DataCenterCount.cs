using Broker.Contracts;

namespace Broker.LoadTests.World;

/// <summary>
/// Gives a shape another number of data centers, to see how decisions scale with the federation's size.
/// Each provider keeps a share proportional to what it had, at least one; fewer means its first data
/// centers, more means copies of its own (same location, level and prices; ids with <c>-2</c>, <c>-3</c>, …).
/// Pools are sized afterwards from the demand, so a provider's capacity is spread, not multiplied.
/// </summary>
public static class DataCenterCount
{
    public static FederationFile Resize(FederationFile shape, int count)
    {
        var providers = shape.Providers.Where(p => p.DataCenters.Length > 0).ToArray();
        if (count < providers.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(count), $"at least one data center per provider: {providers.Length}");
        }

        var have = providers.Sum(p => p.DataCenters.Length);
        var shares = providers.ToDictionary(p => p.Id, p => Math.Max(1, (int)((long)count * p.DataCenters.Length / have)));
        // Hand out what rounding left over (or take back what the minimum of one added), largest providers first.
        var byWeight = providers.OrderByDescending(p => p.DataCenters.Length).ThenBy(p => p.Id, StringComparer.Ordinal).ToArray();
        for (var i = 0; shares.Values.Sum() != count; i++)
        {
            var provider = byWeight[i % byWeight.Length].Id;
            if (shares.Values.Sum() < count)
            {
                shares[provider]++;
            }
            else if (shares[provider] > 1)
            {
                shares[provider]--;
            }
        }

        return shape with
        {
            Providers = shape.Providers.Select(p => p.DataCenters.Length == 0 ? p : p with
            {
                DataCenters = Enumerable.Range(0, shares[p.Id]).Select(i =>
                {
                    var original = p.DataCenters[i % p.DataCenters.Length];
                    return i < p.DataCenters.Length ? original : original with { Id = $"{original.Id}-{(i / p.DataCenters.Length) + 1}" };
                }).ToArray(),
            }).ToArray(),
        };
    }
}
