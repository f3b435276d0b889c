using Bogus;
using Broker.LoadTests.World;

namespace Broker.LoadTests.Demand;

/// <summary>
/// Every request of a run, fixed before the run starts: an open model with a fixed arrival rate per second
/// (the sum of the tenants' rates at that moment), arrivals spaced evenly within each second, tenants and
/// asks drawn from a seeded generator. The same seed, scenario, rate and duration give the same plan.
/// </summary>
public sealed class DemandPlan
{
    private DemandPlan(ScenarioKind scenario, string? spikeState, IReadOnlyList<Arrival> arrivals, TimeSpan duration)
    {
        Scenario = scenario;
        SpikeState = spikeState;
        Arrivals = arrivals;
        Duration = duration;
    }

    public ScenarioKind Scenario { get; }

    /// <summary>The state whose authorities spike on election night.</summary>
    public string? SpikeState { get; }

    /// <summary>From when to when (from the start of the phase) the election state spikes: the whole seconds the plan spikes in.</summary>
    public (TimeSpan From, TimeSpan To)? SpikeWindow
    {
        get
        {
            if (SpikeState is null)
            {
                return null;
            }

            var (from, to) = Scenarios.SpikeSeconds((int)Math.Ceiling(Duration.TotalSeconds));
            return (TimeSpan.FromSeconds(from), TimeSpan.FromSeconds(to));
        }
    }

    public IReadOnlyList<Arrival> Arrivals { get; }

    public TimeSpan Duration { get; }

    /// <summary>The same plan without the election state's spike asks (booked ahead instead), numbered again from 0.</summary>
    public DemandPlan WithoutSpike() =>
        new(Scenario, SpikeState, Arrivals.Where(a => !a.IsSpike).Select((a, i) => a with { Index = i }).ToArray(), Duration);

    public static DemandPlan Create(LoadWorld world, ScenarioKind scenario, TimeSpan duration, int seed, string? spikeState = null)
    {
        var faker = new Faker("de") { Random = new Randomizer(seed + 1) };
        var seconds = (int)Math.Ceiling(duration.TotalSeconds);
        var state = Scenarios.Spikes(scenario) ? spikeState ?? BusiestState(world) : null;
        var holdScale = Scenarios.HoldScale(scenario);
        var (spikeFrom, spikeTo) = Scenarios.SpikeSeconds(seconds);
        var arrivals = new List<Arrival>();
        var locations = world.DataCenters.Select(dc => dc.Location).ToHashSet(StringComparer.Ordinal);
        var tenants = world.Tenants.ToArray();
        var carry = 0.0;
        for (var second = 0; second < seconds; second++)
        {
            var spiking = state is not null && second >= spikeFrom && second < spikeTo;
            var rates = world.Tenants.Select(t => t.BaseRate * (spiking && t.Location == state ? Scenarios.SpikeFactor : 1)).ToArray();
            var exact = rates.Sum() + carry;
            var count = (int)Math.Floor(exact);
            carry = exact - count;
            var weights = Weights.Normalised(rates);
            for (var i = 0; i < count; i++)
            {
                var tenant = faker.Random.WeightedRandom(tenants, weights);
                var at = TimeSpan.FromSeconds(second + ((double)i / count));
                var hold = Hold(faker, holdScale);
                arrivals.Add(new Arrival(arrivals.Count, at, tenant, Ask(faker, tenant, locations), hold, IsBurst: false,
                    IsSpike: spiking && tenant.Location == state, Lease: scenario == ScenarioKind.ElectionBooked ? LeaseFor(hold) : null));
            }
        }

        if (scenario == ScenarioKind.StorageBurst)
        {
            AddBursts(world, faker, arrivals, duration);
        }

        var ordered = arrivals.OrderBy(a => a.At).Select((a, i) => a with { Index = i }).ToArray();
        return new DemandPlan(scenario, state, ordered, duration);
    }

    private static LoadAsk Ask(Faker faker, LoadTenant tenant, HashSet<string> locations)
    {
        var (demand, level, residency) = Constraints(faker, tenant, locations);
        return new LoadAsk(LoadWorld.Resource(demand.BaseClass), faker.Random.Long(demand.MinAmount, demand.MaxAmount), level, residency, Splittable: false);
    }

    /// <summary>What an authority's ask is for and where it may go: the class by its share, the protection level, the residency.</summary>
    internal static (ResourceDemand Demand, string Level, string Residency) Constraints(Faker faker, LoadTenant tenant, HashSet<string> locations)
    {
        var demand = faker.Random.WeightedRandom(ResourceMix.Classes.ToArray(), ResourceMix.Classes.Select(c => (float)c.Share).ToArray());
        var level = faker.Random.WeightedRandom(["normal", "high", "very-high"], [0.6f, 0.3f, 0.1f]);
        // Mostly anywhere in the country, some only in their own state (where the federation has a data center there), a few anywhere in the EU.
        var ownState = locations.Contains(tenant.Location) ? tenant.Location : tenant.Country;
        var residency = faker.Random.WeightedRandom([tenant.Country, ownState, "EU"], [0.7f, 0.2f, 0.1f]);
        return (demand, level, residency);
    }

    /// <summary>Exponential around <see cref="ResourceMix.MeanHoldSeconds"/> (times <paramref name="scale"/>), cut at 5× so that every run ends.</summary>
    private static TimeSpan Hold(Faker faker, double scale = 1)
    {
        var mean = ResourceMix.MeanHoldSeconds * scale;
        return TimeSpan.FromSeconds(Math.Min(5 * mean, -mean * Math.Log(1 - faker.Random.Double())));
    }

    /// <summary>
    /// election-booked: each ask's lease is its hold, in whole seconds, plus one. A lease says how long capacity is
    /// wanted, and reserved capacity is refused to any allocation whose lease overlaps the reserved window: with the
    /// usual hour-long load lease every ordinary ask would overlap every window of the run.
    /// </summary>
    private static TimeSpan LeaseFor(TimeSpan hold) => TimeSpan.FromSeconds(Math.Ceiling(hold.TotalSeconds) + 1);

    /// <summary>A few storage asks 1.5× the largest member data center's SSD pool: they fit only when split.</summary>
    private static void AddBursts(LoadWorld world, Faker faker, List<Arrival> arrivals, TimeSpan duration)
    {
        var ssd = LoadWorld.Resource("storage.ssd");
        var largest = world.Providers.Where(p => p.Kind == Contracts.ProviderKind.Member).SelectMany(p => p.DataCenters)
            .SelectMany(dc => dc.Pools).Where(p => p.Resource == ssd).Max(p => p.Total);
        var count = Math.Max(3, (int)(duration.TotalSeconds / 10));
        for (var i = 0; i < count; i++)
        {
            var tenant = faker.PickRandom(world.Tenants.ToArray());
            var at = TimeSpan.FromSeconds(duration.TotalSeconds * (i + 0.5) / count);
            var ask = new LoadAsk(ssd, (long)(largest * 1.5), "normal", tenant.Country, Splittable: true);
            arrivals.Add(new Arrival(0, at, tenant, ask, Hold(faker), IsBurst: true));
        }
    }

    /// <summary>The state with the most base demand: the spike that tests its home provider hardest.</summary>
    private static string BusiestState(LoadWorld world) =>
        world.Tenants.GroupBy(t => t.Location).OrderByDescending(g => g.Sum(t => t.BaseRate)).ThenBy(g => g.Key, StringComparer.Ordinal).First().Key;
}
