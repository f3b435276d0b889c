using Bogus;
using Broker.Contracts;

namespace Broker.LoadTests.World;

/// <summary>
/// The federation a load test runs against: the providers, data centers, prices and protection levels of a
/// shape (the demo federation), pools sized from the demand so that base load keeps each home provider
/// about <see cref="ResourceMix.SteadyUtilisation"/> busy, and authorities generated with Bogus (German
/// locale) from a seed. Providers keep their ids, so that their load data centers prefer their silos;
/// data centers and tenants carry <see cref="Prefix"/> and resource classes <see cref="ClassSuffix"/>, so a load
/// world added to a running cluster (of the demo federation's providers) never touches real tenants' capacity.
/// </summary>
public sealed class LoadWorld
{
    public const string Prefix = "lt-";
    public const string ClassSuffix = "-lt";

    private static readonly string[] AuthorityKinds =
    [
        "Stadtverwaltung", "Landratsamt", "Finanzamt", "Polizeipräsidium", "Amtsgericht", "Kreisverwaltung",
        "Bürgeramt", "Statistisches Landesamt", "Staatsarchiv", "Schulamt", "Gesundheitsamt", "Zulassungsstelle",
    ];

    private LoadWorld(FederationFile federation, IReadOnlyList<LoadTenant> tenants)
    {
        Federation = federation;
        Tenants = tenants;
    }

    public FederationFile Federation { get; }

    public IReadOnlyList<LoadTenant> Tenants { get; }

    public IEnumerable<ProviderEntry> Providers => Federation.Providers;

    public IEnumerable<DataCenterEntry> DataCenters => Federation.Providers.SelectMany(p => p.DataCenters);

    public static string Resource(string baseClass) => baseClass + ClassSuffix;

    /// <param name="shape">Providers and data centers to copy (their pools' totals only give proportions).</param>
    /// <param name="seed">Makes the authorities (names, homes, locations, rates) reproducible.</param>
    /// <param name="baseRate">Requests per second of all tenants together at base rate.</param>
    /// <param name="tenantCount">How many authorities to generate (at least one per member provider).</param>
    /// <param name="dataCenters">How many data centers in all (null: as many as the shape has), for measuring how decisions scale.</param>
    /// <param name="holdScale">How many times longer than <see cref="ResourceMix.MeanHoldSeconds"/> allocations are held: pools grow with it.</param>
    public static LoadWorld Create(FederationFile shape, int seed, double baseRate, int tenantCount, int? dataCenters = null, double holdScale = 1)
    {
        if (dataCenters is { } count)
        {
            shape = DataCenterCount.Resize(shape, count);
        }

        var faker = new Faker("de") { Random = new Randomizer(seed) };
        var members = shape.Providers.Where(p => p.Kind == ProviderKind.Member && p.DataCenters.Length > 0).ToArray();
        var tenants = GenerateTenants(faker, members, baseRate, tenantCount);
        var memberTotals = new Dictionary<(string Provider, string Class), long>();
        foreach (var provider in members)
        {
            var rate = tenants.Where(t => t.HomeProvider == provider.Id).Sum(t => t.BaseRate);
            foreach (var demand in ResourceMix.Classes)
            {
                var inUse = rate * demand.Share * demand.MeanAmount * ResourceMix.MeanHoldSeconds * holdScale;
                memberTotals[(provider.Id, demand.BaseClass)] = (long)Math.Ceiling(inUse / ResourceMix.SteadyUtilisation);
            }
        }

        var providers = shape.Providers.Select(p => p.Kind == ProviderKind.Member
            ? Scale(p, c => memberTotals.GetValueOrDefault((p.Id, c)), memberTotals)
            : Scale(p, c => memberTotals.Where(m => m.Key.Class == c).Sum(m => m.Value) / 2, memberTotals)).ToArray();
        var federation = new FederationFile
        {
            Providers = providers,
            Tenants = tenants.Select(t => new TenantEntry { Id = t.Id, Name = t.Name, HomeProvider = t.HomeProvider, Token = t.Token }).ToArray(),
        };
        return new LoadWorld(federation, tenants);
    }

    /// <summary>
    /// The same world with every pool's total set per resource class (load world names), and every partner
    /// contract capped at the same; classes not named keep what they have.
    /// </summary>
    public LoadWorld WithPoolTotals(IReadOnlyDictionary<string, long> totals) => new(
        Federation with
        {
            Providers = Federation.Providers.Select(p => p with
            {
                DataCenters = p.DataCenters.Select(dc => dc with
                {
                    Pools = dc.Pools.Select(pool => totals.TryGetValue(pool.Resource, out var total) ? pool with { Total = total } : pool).ToArray(),
                }).ToArray(),
                Contracts = p.Contracts.Select(c => totals.TryGetValue(c.Resource, out var total) ? c with { MaxAmount = total } : c).ToArray(),
            }).ToArray(),
        },
        Tenants);

    private static LoadTenant[] GenerateTenants(Faker faker, ProviderEntry[] members, double baseRate, int tenantCount)
    {
        // Larger providers serve more authorities: weight by their data centers' compute.
        var weights = members.Select(p => (double)p.DataCenters.SelectMany(dc => dc.Pools).Where(x => x.Resource == "compute.vcpu").Sum(x => x.Total) + 1).ToArray();
        var drafts = new List<(string Name, ProviderEntry Home, string Location, double Weight)>();
        for (var i = 0; i < Math.Max(tenantCount, members.Length); i++)
        {
            // Every provider gets at least one authority; the rest follow the weights.
            var home = i < members.Length ? members[i] : faker.Random.WeightedRandom(members, Weights.Normalised(weights));
            var states = home.Regions.Where(r => r.Contains('-', StringComparison.Ordinal)).ToArray();
            var location = states.Length > 0 ? faker.PickRandom(states) : faker.PickRandom(home.DataCenters.ToArray()).Location;
            drafts.Add(($"{faker.PickRandom(AuthorityKinds)} {faker.Address.City()}", home, location, faker.Random.Double(0.5, 2.0)));
        }

        var total = drafts.Sum(d => d.Weight);
        return drafts.Select((d, i) => new LoadTenant(
            $"{Prefix}t{i:000}",
            d.Name,
            d.Home.Id,
            d.Location,
            baseRate * d.Weight / total,
            // Tokens are not part of the reproducible demand: fresh ones each run, so a load world left in a
            // running cluster does not leave guessable tokens behind.
            "lt-" + Guid.NewGuid().ToString("N"))).ToArray();
    }

    /// <summary>The provider with its pools resized to <paramref name="totalFor"/> per class, spread over its data centers as in the shape.</summary>
    private static ProviderEntry Scale(ProviderEntry provider, Func<string, long> totalFor, Dictionary<(string Provider, string Class), long> memberTotals)
    {
        var largestAsk = ResourceMix.Classes.ToDictionary(c => c.BaseClass, c => c.MaxAmount);
        var offered = ResourceMix.Classes.Select(c => c.BaseClass).ToHashSet(StringComparer.Ordinal);
        var shapeTotals = provider.DataCenters.SelectMany(dc => dc.Pools).Where(p => offered.Contains(p.Resource))
            .GroupBy(p => p.Resource).ToDictionary(g => g.Key, g => (double)g.Sum(p => p.Total));
        return provider with
        {
            Admins = [],
            DataCenters = provider.DataCenters.Select(dc => dc with
            {
                Id = Prefix + dc.Id,
                Pools = dc.Pools.Where(p => offered.Contains(p.Resource)).Select(p => new PoolEntry
                {
                    Resource = Resource(p.Resource),
                    // Never so small that one ordinary ask cannot fit.
                    Total = Math.Max(4 * largestAsk[p.Resource], (long)Math.Ceiling(totalFor(p.Resource) * p.Total / shapeTotals[p.Resource])),
                    PricePerUnitHour = p.PricePerUnitHour,
                }).ToArray(),
            }).ToArray(),
            Contracts = provider.Contracts.Where(c => offered.Contains(c.Resource)).Select(c => c with
            {
                Resource = Resource(c.Resource),
                // A partner tops a member up; it does not replace it.
                MaxAmount = Math.Max(4 * largestAsk[c.Resource], memberTotals.GetValueOrDefault((provider.Id, c.Resource)) / 4),
            }).ToArray(),
        };
    }
}
