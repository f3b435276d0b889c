using System.Globalization;
using Broker.DataCenters;
using Broker.Domain;
using Broker.Grains.Federation;
using Broker.Requests;

namespace Broker.Grains.Negotiation;

/// <summary>
/// Applies the hard constraints to the directory and orders what is left: by tier (home, federation,
/// partner), then those the directory sees with free capacity, then by score. Decides the rejections that
/// need no data center to be asked: <c>unsatisfiable</c> and <c>over-budget</c>.
/// A draining data center takes nothing new: it looks full (asked only when nobody else could serve, in case the drain
/// ended since the directory saw it); one listed in <paramref name="excluded"/> (those a request being moved is in
/// already) does not even count as meeting the constraints.
/// </summary>
internal sealed class CandidateSelector(RequestSpec spec, string homeProvider, FederationView federation, ScoreWeights weights, IReadOnlySet<string>? excluded = null)
{
    public ScoreWeights Weights => weights;

    /// <summary>
    /// Data centers that can take the whole bundle, best first; or why none can. <paramref name="offering"/>
    /// lists the data centers offering the first class in random order; they are read until
    /// <paramref name="sample"/> eligible ones are found, at least <paramref name="freePerTier"/> of them home
    /// ones, or all were read. So a small federation is judged whole, and one of thousands of data centers costs
    /// a random sample per request instead of a pass over all (the way large schedulers pick machines).
    /// Of the eligible only the best <paramref name="freePerTier"/> that look free and <paramref name="fullPerTier"/>
    /// that look full per tier are kept: all a negotiation ever asks.
    /// </summary>
    public (IReadOnlyList<Candidate> Candidates, Rejection? Rejection) ForBundle(
        IReadOnlyList<string> offering, Func<string, DataCenterSummary?> find, int freePerTier, int fullPerTier, int sample)
    {
        var eligible = new List<(DataCenterSummary DataCenter, decimal Cost)>();
        var home = 0;
        var serving = false;
        decimal? cheapestOverBudget = null;
        var start = offering.Count == 0 ? 0 : Random.Shared.Next(offering.Count);
        for (var i = 0; i < offering.Count && (eligible.Count < sample || home < freePerTier); i++)
        {
            if (find(offering[(start + i) % offering.Count]) is not { } dc || !Admits(dc) || !spec.Items.All(item => Serves(dc, item, exactAmount: true)))
            {
                continue;
            }

            serving = true;
            var cost = CostAt(dc, spec.Items);
            if (cost > spec.Constraints.MaxHourlyCost)
            {
                cheapestOverBudget = cheapestOverBudget is { } c && c <= cost ? c : cost;
                continue;
            }

            eligible.Add((dc, cost));
            home += dc.Provider == homeProvider ? 1 : 0;
        }

        if (!serving)
        {
            return ([], Unsatisfiable());
        }

        if (eligible.Count == 0)
        {
            return ([], new Rejection(
                RejectionCode.OverBudget,
                string.Create(CultureInfo.InvariantCulture, $"the cheapest data center that meets the constraints costs {cheapestOverBudget} EUR/h, above the maximum of {spec.Constraints.MaxHourlyCost} EUR/h")));
        }

        var cheapestCost = eligible.Min(p => p.Cost);
        var best = eligible
            .Select(p => ToCandidate(p.DataCenter, p.Cost, cheapestCost, spec.Items))
            .GroupBy(c => (c.Tier, c.LooksFree))
            .SelectMany(group => group.OrderByDescending(c => c.Score).ThenBy(c => c.Id, StringComparer.Ordinal).Take(group.Key.LooksFree ? freePerTier : fullPerTier));
        return (Order(best), null);
    }

    /// <summary>For a splittable request: data centers that can take at least one of the items, best first.</summary>
    public IReadOnlyList<Candidate> ForSplit(IEnumerable<DataCenterSummary> directory)
    {
        var serving = directory
            .Where(Admits)
            .Select(dc => (DataCenter: dc, Items: spec.Items.Where(i => Serves(dc, i, exactAmount: !ResourceClasses.IsStorage(i.Resource))).ToArray()))
            .Where(x => x.Items.Length > 0)
            .ToList();
        if (serving.Count == 0)
        {
            return [];
        }

        var costs = serving.Select(x => CostAt(x.DataCenter, x.Items)).ToList();
        var cheapest = costs.Min();
        return Order(serving.Select((x, i) => ToCandidate(x.DataCenter, costs[i], cheapest, x.Items)));
    }

    /// <summary>The price per unit-hour the tenant pays for a class at a data center: a partner's is its home provider's contract price.</summary>
    public decimal PriceAt(string provider, ProviderKind kind, string resource, decimal listPrice) =>
        Scoring.TierOf(provider, kind, homeProvider) == Tier.Partner
            ? federation.ContractFor(homeProvider, provider, resource)?.PricePerUnitHour ?? listPrice
            : listPrice;

    /// <summary>Whether a data center passes the constraints that do not depend on the items.</summary>
    public bool Admits(DataCenterSummary dc)
    {
        if (excluded?.Contains(dc.Id) == true)
        {
            return false;
        }

        var c = spec.Constraints;
        if (dc.ProtectionLevel < c.ProtectionLevel || !Residency.Satisfies(dc.Location, c.Residency))
        {
            return false;
        }

        if ((c.AllowProviders.Length > 0 && !c.AllowProviders.Contains(dc.Provider)) || c.DenyProviders.Contains(dc.Provider))
        {
            return false;
        }

        var isPartner = dc.ProviderKind == ProviderKind.Partner && dc.Provider != homeProvider;
        return !(isPartner && c.MembersOnly);
    }

    /// <summary>Whether a data center offers the item's class (within a partner contract, where it is a partner).</summary>
    public bool Serves(DataCenterSummary dc, RequestItem item, bool exactAmount)
    {
        var pool = dc.Pool(item.Resource);
        if (pool is null || (exactAmount && !pool.AcceptsAmount(item.Amount)))
        {
            return false;
        }

        return Scoring.TierOf(dc.Provider, dc.ProviderKind, homeProvider) != Tier.Partner
            || federation.ContractFor(homeProvider, dc.Provider, item.Resource) is not null;
    }

    private decimal CostAt(DataCenterSummary dc, IEnumerable<RequestItem> items) =>
        items.Sum(item => item.Amount * PriceAt(dc.Provider, dc.ProviderKind, item.Resource, dc.Pool(item.Resource)!.PricePerUnitHour));

    private Candidate ToCandidate(DataCenterSummary dc, decimal cost, decimal cheapest, IEnumerable<RequestItem> items)
    {
        var pools = items.Select(i => (Item: i, Pool: dc.Pool(i.Resource)!)).ToList();
        var looksFree = !dc.Draining && pools.All(p => p.Pool.FreeFor(spec.Priority) >= Math.Min(p.Item.Amount, spec.Splittable ? 1 : p.Item.Amount));
        var utilisationAfter = pools.Max(p => p.Pool.Capacity == 0 ? 1.0 : (double)(p.Pool.Allocated + p.Pool.Held + p.Item.Amount) / p.Pool.Capacity);
        var locality = Scoring.Locality(federation.Providers.GetValueOrDefault(homeProvider), dc.Location);
        var score = Scoring.Score(weights, cheapest, cost, utilisationAfter, locality, dc.RenewableShare);
        return new Candidate(dc, Scoring.TierOf(dc.Provider, dc.ProviderKind, homeProvider), looksFree, cost, score, looksFree && !spec.Splittable && pools.All(p => ClearlyFits(p.Pool, p.Item.Amount)));
    }

    /// <summary>
    /// Twice the ask free and at least a hundredth of the pool left over: other requests deciding meanwhile would have to
    /// take more than the directory's staleness allows for before this data center declines.
    /// </summary>
    private bool ClearlyFits(PoolSummary pool, long amount)
    {
        var free = pool.FreeFor(spec.Priority);
        return free >= 2 * amount && free - amount >= pool.Capacity / 100;
    }

    private static List<Candidate> Order(IEnumerable<Candidate> candidates) => candidates
        .OrderBy(c => c.Tier)
        .ThenByDescending(c => c.LooksFree)
        .ThenByDescending(c => c.Score)
        .ThenBy(c => c.Id, StringComparer.Ordinal)
        .ToList();

    private Rejection Unsatisfiable()
    {
        var c = spec.Constraints;
        var items = string.Join(", ", spec.Items.Select(i => string.Create(CultureInfo.InvariantCulture, $"{i.Amount} {i.Resource}")));
        var where = spec.Splittable ? "" : " in one data center";
        return new Rejection(
            RejectionCode.Unsatisfiable,
            $"no data center in the federation offers {items}{where} at protection level {Wire.Kebab(c.ProtectionLevel)} within {c.Residency} under the request's provider constraints");
    }
}
