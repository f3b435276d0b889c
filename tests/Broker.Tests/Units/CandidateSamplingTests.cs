using Broker.DataCenters;
using Broker.Federation;
using Broker.Grains;
using Broker.Grains.Directory;
using Broker.Grains.Federation;
using Broker.Grains.Negotiation;
using Broker.Requests;

namespace Broker.Tests.Units;

/// <summary>
/// Choosing candidates in a large federation: a bounded random sample, yet never without the home
/// provider's data centers, and the rejections that need the whole federation judged on the whole of it.
/// </summary>
public sealed class CandidateSamplingTests
{
    private const int Sample = 64;

    [Fact]
    public void ManyDataCenters_RanksABoundedSampleThatStillHoldsTheHomeTier()
    {
        // 10 home data centers among 5,000: a window of 64 alone would almost never hold 9 of them.
        var (directory, selector) = Federation(home: 10, others: 4_990, price: 1m);
        var looked = 0;

        var (candidates, rejection) = selector.ForBundle(directory.OfferingInRandomOrder("storage.ssd"), id => { looked++; return directory.Find(id); }, 9, 3, Sample);

        Assert.Null(rejection);
        Assert.Equal(9, candidates.Count(c => c.Tier == Tier.Home));
        Assert.Equal(9, candidates.Count(c => c.Tier == Tier.Federation));
        Assert.True(looked < 5_000, $"read {looked} of 5,000 data centers although {Sample} eligible ones were enough");
    }

    [Fact]
    public void FewDataCenters_AllRanked_BestFirst()
    {
        var (directory, selector) = Federation(home: 2, others: 5, price: 1m);

        var (candidates, _) = selector.ForBundle(directory.OfferingInRandomOrder("storage.ssd"), directory.Find, 9, 3, Sample);

        Assert.Equal(7, candidates.Count);
        Assert.Equal([Tier.Home, Tier.Home, Tier.Federation, Tier.Federation, Tier.Federation, Tier.Federation, Tier.Federation], candidates.Select(c => c.Tier));
    }

    [Fact]
    public void NothingAffordable_JudgedOnTheWholeFederation_OverBudgetWithTheCheapestPrice()
    {
        var (directory, selector) = Federation(home: 10, others: 2_000, price: 2m, maxHourlyCost: 15m);

        var (candidates, rejection) = selector.ForBundle(directory.OfferingInRandomOrder("storage.ssd"), directory.Find, 9, 3, Sample);

        Assert.Empty(candidates);
        Assert.Equal(RejectionCode.OverBudget, rejection!.Code);
        Assert.Contains("costs 20", rejection.Detail, StringComparison.Ordinal);
    }

    private static (CapacityDirectory Directory, CandidateSelector Selector) Federation(int home, int others, decimal price, decimal? maxHourlyCost = null)
    {
        var directory = new CapacityDirectory();
        for (var i = 0; i < home + others; i++)
        {
            directory.Apply(Summary($"dc-{i:0000}", i < home ? "home" : "other", price));
        }

        var view = new FederationView(1, new FederationDocument
        {
            Providers = [new ProviderDefinition { Id = "home", Regions = ["DE-HH"] }, new ProviderDefinition { Id = "other", Regions = ["DE-BY"] }],
        });
        var spec = new RequestSpec { Items = [new RequestItem("storage.ssd", 10)], Constraints = new RequestConstraints { MaxHourlyCost = maxHourlyCost } };
        return (directory, new CandidateSelector(spec, "home", view, new ScoreWeights()));
    }

    private static DataCenterSummary Summary(string id, string provider, decimal price) => new()
    {
        Id = id,
        Provider = provider,
        ProviderKind = ProviderKind.Member,
        Location = "DE-HH",
        ProtectionLevel = ProtectionLevel.Normal,
        RenewableShare = 0.5,
        Version = 1,
        Pools =
        [
            new PoolSummary
            {
                Resource = "storage.ssd", Total = 100, Capacity = 100, Headroom = 0, Allocated = 0, Held = 0,
                MinUnit = 1, MaxUnit = 100, Step = 1, PricePerUnitHour = price, AllocationRatio = 1,
            },
        ],
    };
}
