using System.Text.Json;
using Broker.Client;
using Broker.Contracts;
using Broker.LoadTests;
using Broker.LoadTests.Demand;
using Broker.LoadTests.Running;
using Broker.LoadTests.World;

namespace Broker.Tests.LoadTests;

/// <summary>The fill's plan: pools that take every kept ask, one ask per authority at 11,000 of them, stretches that cover the target.</summary>
public sealed class FillPlanTests
{
    private static readonly FederationFile Shape =
        JsonSerializer.Deserialize<FederationFile>(File.ReadAllText(LoadTest.ShapeFile), BrokerJsonOptions.Default)!;

    [Theory]
    [InlineData(1_000)]
    [InlineData(1_000_000)]
    public void PoolSizing_AnyOneDataCenterTakesEveryAskOfItsClass(int target)
    {
        var plain = LoadWorld.Create(Shape, 42, 200, 80);
        var plan = FillPlan.Create(plain, target, 42);
        var world = FillSizing.Apply(plain, plan);

        Assert.All(plan.Templates, t => Assert.InRange(t.Ask.Amount, FillPlan.MinAmount, FillPlan.MaxAmount));
        // Units the first N asks want per class, walked ask by ask (the plan's own sum uses prefix sums).
        var wanted = Enumerable.Range(0, target).Select(n => plan.Ask(n).Ask).GroupBy(a => a.Resource).ToDictionary(g => g.Key, g => g.Sum(a => a.Amount));
        Assert.Equal(wanted.Keys.Order(StringComparer.Ordinal), plan.Classes);
        foreach (var pool in world.DataCenters.SelectMany(dc => dc.Pools).Where(p => wanted.ContainsKey(p.Resource)))
        {
            Assert.Equal(wanted[pool.Resource], plan.UnitsOf(pool.Resource, target));
            Assert.True(pool.Total >= wanted[pool.Resource] * FillSizing.Margin, $"{pool.Resource}: {pool.Total} units for {wanted[pool.Resource]} wanted");
        }
    }

    [Fact]
    public void ElevenThousandAuthorities_EachOneWarmUpAsk_TemplatesBounded()
    {
        var world = LoadWorld.Create(Shape, 42, 200, 11_000);
        var plan = FillPlan.Create(world, 1_000_000, 42);

        Assert.Equal(11_000, world.Tenants.Select(t => t.Id).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(world.Tenants.Select(t => t.Id), plan.PerTenant.Select(a => a.Tenant.Id));
        Assert.Equal(FillPlan.MaxTemplates, plan.Templates.Count);
        Assert.Equal(plan.Templates[5], plan.Ask(FillPlan.MaxTemplates + 5));
    }

    [Theory]
    [InlineData(100)]
    [InlineData(20_000)]
    [InlineData(1_000_003)]
    public void Stretches_TwentyOfThem_CoverTheTargetWithoutGaps(int target)
    {
        var starts = Enumerable.Range(0, FillBuckets.Count).Select(b => FillBuckets.Start(b, target)).Append(target).ToArray();

        Assert.Equal(0, starts[0]);
        for (var b = 0; b < FillBuckets.Count; b++)
        {
            Assert.True(starts[b + 1] > starts[b], $"stretch {b} is empty");
            Assert.Equal(b, FillBuckets.Of(starts[b], target));
            Assert.Equal(b, FillBuckets.Of(starts[b + 1] - 1, target));
        }
    }
}
