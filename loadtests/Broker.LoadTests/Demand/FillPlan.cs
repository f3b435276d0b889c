using Bogus;
using Broker.LoadTests.World;

namespace Broker.LoadTests.Demand;

/// <summary>
/// The asks of a fill run: small ones (<see cref="MinAmount"/> to <see cref="MaxAmount"/> units of a class,
/// with the usual protection levels and residencies), drawn once from the seed. The fill loop's n-th request
/// asks for <c>Templates[n % Templates.Count]</c>; <see cref="PerTenant"/> holds one ask per authority, for the
/// warm-up, so that every authority's grains are active before anything is measured.
/// </summary>
public sealed class FillPlan
{
    public const long MinAmount = 1;
    public const long MaxAmount = 4;

    /// <summary>At most this many distinct asks: the loop cycles through them, so the plan stays small however large the target.</summary>
    public const int MaxTemplates = 65_536;

    private readonly string[] _classes;
    private readonly long[][] _unitPrefix;

    private FillPlan(int targetAllocations, IReadOnlyList<Arrival> templates, IReadOnlyList<Arrival> perTenant)
    {
        TargetAllocations = targetAllocations;
        Templates = templates;
        PerTenant = perTenant;
        _classes = templates.Select(t => t.Ask.Resource).Distinct().Order(StringComparer.Ordinal).ToArray();
        // Per class, the units of templates [0, i): what any number of asks adds up to, without walking them.
        _unitPrefix = _classes.Select(c =>
        {
            var prefix = new long[templates.Count + 1];
            for (var i = 0; i < templates.Count; i++)
            {
                prefix[i + 1] = prefix[i] + (templates[i].Ask.Resource == c ? templates[i].Ask.Amount : 0);
            }

            return prefix;
        }).ToArray();
    }

    /// <summary>How many live allocations the fill aims at.</summary>
    public int TargetAllocations { get; }

    public IReadOnlyList<Arrival> Templates { get; }

    public IReadOnlyList<Arrival> PerTenant { get; }

    /// <summary>The resource classes the asks are for (load world names, <c>storage.ssd-lt</c>).</summary>
    public IReadOnlyList<string> Classes => _classes;

    public Arrival Ask(long n) => Templates[(int)(n % Templates.Count)];

    /// <summary>The units of <paramref name="resource"/> that the loop's first <paramref name="count"/> asks add up to.</summary>
    public long UnitsOf(string resource, long count)
    {
        var c = Array.IndexOf(_classes, resource);
        if (c < 0)
        {
            return 0;
        }

        var prefix = _unitPrefix[c];
        return (count / Templates.Count * prefix[^1]) + prefix[(int)(count % Templates.Count)];
    }

    public static FillPlan Create(LoadWorld world, int targetAllocations, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(targetAllocations, 1);
        var faker = new Faker("de") { Random = new Randomizer(seed + 3) };
        var locations = world.DataCenters.Select(dc => dc.Location).ToHashSet(StringComparer.Ordinal);
        var tenants = world.Tenants;
        // Authorities ask in proportion to their base rates: a cumulative table and a binary search, since
        // a weighted pick that walks 11,000 authorities for each of 65,536 asks would take minutes.
        var cumulative = new double[tenants.Count];
        var sum = 0.0;
        for (var i = 0; i < tenants.Count; i++)
        {
            sum += tenants[i].BaseRate;
            cumulative[i] = sum;
        }

        var templates = new Arrival[Math.Min(targetAllocations, MaxTemplates)];
        for (var i = 0; i < templates.Length; i++)
        {
            var at = Array.BinarySearch(cumulative, faker.Random.Double() * sum);
            var tenant = tenants[Math.Min(at < 0 ? ~at : at, tenants.Count - 1)];
            templates[i] = new Arrival(i, TimeSpan.Zero, tenant, SmallAsk(faker, tenant, locations), TimeSpan.Zero, IsBurst: false);
        }

        var perTenant = tenants.Select((t, i) => new Arrival(i, TimeSpan.Zero, t, SmallAsk(faker, t, locations), TimeSpan.Zero, IsBurst: false)).ToArray();
        return new FillPlan(targetAllocations, templates, perTenant);
    }

    private static LoadAsk SmallAsk(Faker faker, LoadTenant tenant, HashSet<string> locations)
    {
        var (demand, level, residency) = DemandPlan.Constraints(faker, tenant, locations);
        return new LoadAsk(LoadWorld.Resource(demand.BaseClass), faker.Random.Long(MinAmount, MaxAmount), level, residency, Splittable: false);
    }
}
