using System.Text.Json;
using Broker.Client;
using Broker.Contracts;
using Broker.LoadTests;
using Broker.LoadTests.Demand;
using Broker.LoadTests.World;

namespace Broker.Tests.LoadTests;

/// <summary>The load's shape: reproducible from the seed, spread over the authorities by their rates, spiking where and when it should.</summary>
public sealed class DemandPlanTests
{
    private static readonly FederationFile Shape =
        JsonSerializer.Deserialize<FederationFile>(File.ReadAllText(LoadTest.ShapeFile), BrokerJsonOptions.Default)!;

    [Fact]
    public void SameSeed_SamePlan_OtherSeed_OtherPlan()
    {
        string Fingerprint(int seed)
        {
            var world = LoadWorld.Create(Shape, seed, 100, 40);
            var plan = DemandPlan.Create(world, ScenarioKind.Steady, TimeSpan.FromSeconds(5), seed);
            return string.Join(';', plan.Arrivals.Select(a => $"{a.At.Ticks}|{a.Tenant.Id}|{a.Tenant.Name}|{a.Ask}|{a.Hold.Ticks}"));
        }

        Assert.Equal(Fingerprint(7), Fingerprint(7));
        Assert.NotEqual(Fingerprint(7), Fingerprint(8));
    }

    [Fact]
    public void Steady_RequestsPerProviderFollowItsAuthoritiesRates()
    {
        var world = LoadWorld.Create(Shape, 42, 200, 80);
        var plan = DemandPlan.Create(world, ScenarioKind.Steady, TimeSpan.FromSeconds(30), 42);

        Assert.Equal(6_000, plan.Arrivals.Count);
        foreach (var provider in world.Tenants.GroupBy(t => t.HomeProvider))
        {
            var expected = provider.Sum(t => t.BaseRate) * 30;
            var actual = plan.Arrivals.Count(a => a.Tenant.HomeProvider == provider.Key);
            Assert.True(Math.Abs(actual - expected) <= Math.Max(30, expected * 0.25), $"{provider.Key}: {actual} requests, expected about {expected:0}");
        }

        Assert.True(world.Tenants.Select(t => t.HomeProvider).Distinct().Count() == 8, "every member provider has authorities");
    }

    [Fact]
    public void ElectionNight_TheStatesAuthoritiesAt20xInTheWindowOnly()
    {
        var world = LoadWorld.Create(Shape, 42, 100, 80);
        var plan = DemandPlan.Create(world, ScenarioKind.ElectionNight, TimeSpan.FromSeconds(20), 42, "DE-NW");
        var stateRate = world.Tenants.Where(t => t.Location == "DE-NW").Sum(t => t.BaseRate);
        double InState(int from, int to) =>
            plan.Arrivals.Count(a => a.Tenant.Location == "DE-NW" && a.At >= TimeSpan.FromSeconds(from) && a.At < TimeSpan.FromSeconds(to)) / (double)(to - from);

        Assert.InRange(InState(0, 6), stateRate * 0.6, stateRate * 1.4);
        Assert.InRange(InState(6, 14), stateRate * 20 * 0.8, stateRate * 20 * 1.2);
        Assert.InRange(InState(14, 20), stateRate * 0.6, stateRate * 1.4);
    }
}
