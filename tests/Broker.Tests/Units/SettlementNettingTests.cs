using Broker.Contracts;
using System.Numerics;
using Broker.Silo.Api;

namespace Broker.Tests.Units;

/// <summary>The settlement's arithmetic: pairs offset bilaterally, positions netted multilaterally, the fewest transfers, rounding that keeps the zero sum.</summary>
public sealed class SettlementNettingTests
{
    [Fact]
    public void Settle_ThreeProviders_PairsOffsetPositionsNetAndTwoTransfersForThreePairs()
    {
        // a charged b 0.1 and c 0.4; b charged a 0.4; c charged b 0.6.
        var settled = SettlementNetting.Settle(
        [
            new ProviderCharge("b", "a", 0.1m), new ProviderCharge("a", "b", 0.4m),
            new ProviderCharge("c", "a", 0.25m), new ProviderCharge("c", "a", 0.15m),
            new ProviderCharge("b", "c", 0.6m),
        ]);

        Assert.Equal(
            [new SettlementPair("a", "b", 0.1m, 0.4m, -0.3m), new SettlementPair("a", "c", 0.4m, 0m, 0.4m), new SettlementPair("b", "c", 0m, 0.6m, -0.6m)],
            settled.Pairs);
        Assert.Equal(
            [new SettlementPosition("a", 0.5m, 0.4m, 0.1m), new SettlementPosition("b", 0.4m, 0.7m, -0.3m), new SettlementPosition("c", 0.6m, 0.4m, 0.2m)],
            settled.Positions);
        Assert.Equal([new SettlementTransfer("b", "a", 0.1m), new SettlementTransfer("b", "c", 0.2m)], settled.Transfers);
        Assert.True(settled.Minimal);
    }

    [Fact]
    public void Settle_ACycleOfEqualCharges_NetsToNothing_NoTransfer()
    {
        var settled = SettlementNetting.Settle([new ProviderCharge("a", "b", 1m), new ProviderCharge("b", "c", 1m), new ProviderCharge("c", "a", 1m)]);

        Assert.Equal(3, settled.Pairs.Length);
        Assert.All(settled.Positions, p => Assert.Equal(0m, p.Net));
        Assert.Empty(settled.Transfers);
    }

    [Fact]
    public void Transfers_WhereTheGreedyMatchNeedsFour_TheMinimumOfThree()
    {
        // Largest debtor to largest creditor pays 4 → −3 first and needs four transfers; {+3, −3} and {+4, −2, −2} settle in 1 + 2.
        long[] nets = [4, 3, -3, -2, -2];

        var (transfers, minimal) = SettlementNetting.Transfers(nets);

        Assert.True(minimal);
        Assert.Equal([(2, 1, 3L), (3, 0, 2L), (4, 0, 2L)], transfers.OrderBy(t => t.From).ToArray());
        AssertSettles(nets, transfers);
    }

    [Fact]
    public void Transfers_TwentyOpenPositions_ExactWithOneTransferPerOpposingPair()
    {
        // Ten pairs of opposite amounts, shuffled: the minimum is ten, where a careless match could chain them into nineteen.
        var nets = Enumerable.Range(1, 10).SelectMany(i => new long[] { i * 7, -i * 7 }).OrderBy(v => (v * 7919) % 23).ToArray();

        var (transfers, minimal) = SettlementNetting.Transfers(nets);

        Assert.Equal(SettlementNetting.ExactUpTo, nets.Length);
        Assert.True(minimal);
        Assert.Equal(10, transfers.Count);
        AssertSettles(nets, transfers);
    }

    [Fact]
    public void Transfers_BeyondTheExactLimit_GreedyAtMostNMinusOne_NotClaimedMinimal()
    {
        var nets = Enumerable.Range(1, SettlementNetting.ExactUpTo).Select(i => (long)i).Append(-Enumerable.Range(1, SettlementNetting.ExactUpTo).Sum(i => (long)i)).ToArray();

        var (transfers, minimal) = SettlementNetting.Transfers(nets);

        Assert.False(minimal);
        Assert.Equal(SettlementNetting.ExactUpTo, transfers.Count);
        AssertSettles(nets, transfers);
    }

    [Fact]
    public void Settle_PositionsThatRoundAwayFromZeroSum_OneMicroEuroMovedBack_TheSumIsZero()
    {
        // a and b are each owed 0.0000005 by c: half to even shows 0, 0 and −0.000001, which sum to −0.000001.
        // The one rounded down furthest (a tie of a and b: the first) gets the micro-euro back.
        var settled = SettlementNetting.Settle([new ProviderCharge("c", "a", 0.0000005m), new ProviderCharge("c", "b", 0.0000005m)]);

        Assert.Equal([("a", 0.000001m), ("b", 0m), ("c", -0.000001m)], settled.Positions.Select(p => (p.Provider, p.Net)));
        Assert.Equal(0m, settled.Positions.Sum(p => p.Net));
        Assert.Equal([new SettlementTransfer("c", "a", 0.000001m)], settled.Transfers);
        // Each pair's figures are still their own exact values rounded half to even.
        Assert.All(settled.Pairs, p => Assert.Equal((0m, 0m), (p.AChargedB, p.Net)));
    }

    [Fact]
    public void Settle_CostsOfTwentyEightDigits_ExactPositionsSumToZero()
    {
        // Thirds of an hour: costs a decimal holds only to its last digit; summing many of them in decimal would round.
        var third = 7 * 0.00012m * ((decimal)TimeSpan.FromMinutes(20).Ticks / TimeSpan.TicksPerHour);
        var charges = Enumerable.Range(0, 300).Select(i => new ProviderCharge($"p{i % 7}", $"p{(i * 3 + 1) % 7}", third * (i + 1))).ToArray();

        var exact = Enumerable.Range(0, 7).Select(p => charges.Where(c => c.Payee == $"p{p}").Aggregate(BigInteger.Zero, (s, c) => s + SettlementNetting.Units(c.Cost))
                                                    - charges.Where(c => c.Payer == $"p{p}").Aggregate(BigInteger.Zero, (s, c) => s + SettlementNetting.Units(c.Cost))).ToArray();
        var settled = SettlementNetting.Settle(charges);

        Assert.Equal(BigInteger.Zero, exact.Aggregate(BigInteger.Zero, (s, v) => s + v));
        Assert.Equal(0m, settled.Positions.Sum(p => p.Net));
        // Within a micro-euro of the exact position (compared at 10⁻¹⁰ EUR, which a decimal holds whatever the sum).
        Assert.All(settled.Positions, p => Assert.True(
            Math.Abs(p.Net - ((decimal)(exact[int.Parse(p.Provider[1..], System.Globalization.CultureInfo.InvariantCulture)] / BigInteger.Pow(10, 18)) / 1e10m)) < 0.000001m,
            $"{p.Provider} shows {p.Net}"));
    }

    [Fact]
    public void Units_ADecimal_AsWholeUnitsOfTenToTheMinus28()
    {
        Assert.Equal(BigInteger.Pow(10, 24), SettlementNetting.Units(0.0001m));
        Assert.Equal(-BigInteger.Parse("12500000000000000000000000000", System.Globalization.CultureInfo.InvariantCulture), SettlementNetting.Units(-1.25m));
        Assert.Equal(BigInteger.One, SettlementNetting.Units(0.0000000000000000000000000001m));
    }

    private static void AssertSettles(long[] nets, IReadOnlyList<(int From, int To, long Amount)> transfers)
    {
        var left = nets.ToArray();
        foreach (var (from, to, amount) in transfers)
        {
            Assert.True(amount > 0 && nets[from] < 0 && nets[to] > 0, $"transfer {from} → {to} of {amount}: from a debtor to a creditor, a positive sum");
            left[from] += amount;
            left[to] -= amount;
        }

        Assert.All(left, v => Assert.Equal(0, v));
    }
}
