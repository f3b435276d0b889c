using Broker.Faults.History;

namespace Broker.Faults.Workload;

/// <summary>
/// Create bodies drawn from the run's seed: single items, bundles (several items in one data center), splittable
/// storage, constrained requests, and storage large enough to reach for partners — with leases short enough
/// that many end by themselves during the run.
/// </summary>
public static class BodyFactory
{
    private static readonly (string Lease, int Weight)[] Leases = [("PT20S", 15), ("PT45S", 20), ("PT2M", 30), ("PT10M", 25), ("P1D", 10)];

    public static BodySpec Next(Random random)
    {
        var lease = Pick(random, Leases);
        var priority = random.Next(10) == 0 ? "high" : "normal";
        var kind = random.Next(100);
        return kind switch
        {
            < 30 => new BodySpec([new ItemSpec("compute.vcpu", random.Next(1, 7))], lease, false, priority, null, null),
            < 50 => Bundle(random, lease, priority),
            < 75 => new BodySpec([new ItemSpec("storage.ssd", random.Next(2, 19) * 100)], lease, true, priority, null, null),
            < 85 => new BodySpec([new ItemSpec("compute.vcpu", random.Next(1, 5))], lease, false, priority, "DE-HH", "high"),
            _ => new BodySpec([new ItemSpec("storage.ssd", random.Next(8, 20) * 100)], lease, false, priority, null, null),
        };
    }

    /// <summary>A body that differs from <paramref name="body"/> in its first item's amount: for the same key sent with two bodies.</summary>
    public static BodySpec Variant(BodySpec body) =>
        body with { Items = [body.Items[0] with { Amount = body.Items[0].Amount + 1 }, .. body.Items.Skip(1)] };

    private static BodySpec Bundle(Random random, string lease, string priority)
    {
        var vcpus = random.Next(1, 5);
        return new BodySpec([new ItemSpec("compute.vcpu", vcpus), new ItemSpec("compute.memory", 4 * vcpus)], lease, false, priority, null, null);
    }

    private static string Pick(Random random, (string Value, int Weight)[] choices)
    {
        var roll = random.Next(choices.Sum(c => c.Weight));
        foreach (var (value, weight) in choices)
        {
            if ((roll -= weight) < 0)
            {
                return value;
            }
        }

        return choices[^1].Value;
    }
}
