using Broker.LoadTests.Demand;

namespace Broker.LoadTests.World;

/// <summary>
/// Pools for a fill run, so that no ask is ever turned away for capacity (a rejection would be cheaper than
/// a decision that allocates, and flatter the rate): every data center's pool of a class alone could take all
/// the units that the loop's first <c>N</c> asks want of that class, with <see cref="Margin"/> to spare for
/// the asks that replace rejected or failed ones. Utilisation stays low; what fills is the number of live allocations.
/// </summary>
public static class FillSizing
{
    public const double Margin = 1.25;

    /// <summary>Every class's pool total, per data center, for <see cref="FillPlan.TargetAllocations"/> kept asks.</summary>
    public static IReadOnlyDictionary<string, long> PoolTotals(FillPlan plan) =>
        plan.Classes.ToDictionary(
            c => c,
            c => (long)Math.Ceiling(plan.UnitsOf(c, plan.TargetAllocations) * Margin) + FillPlan.MaxAmount,
            StringComparer.Ordinal);

    public static LoadWorld Apply(LoadWorld world, FillPlan plan) => world.WithPoolTotals(PoolTotals(plan));
}
