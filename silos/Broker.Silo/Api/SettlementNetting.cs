using Broker.Contracts;
using System.Numerics;

namespace Broker.Silo.Api;

/// <summary>One provider's charge to another: <see cref="Payer"/> owes <see cref="Payee"/> an exact <see cref="Cost"/>.</summary>
public sealed record ProviderCharge(string Payer, string Payee, decimal Cost);

/// <summary>
/// The settlement of one period between providers, as pure arithmetic over their charges to each other:
/// <list type="bullet">
/// <item>per pair, what each charged the other and the net after bilateral offsetting;</item>
/// <item>per provider, its net position: what all others owe it less what it owes them;</item>
/// <item>the transfers that settle every position after multilateral netting.</item>
/// </list>
/// <para>
/// Exactness: every sum is taken in whole units of 10⁻²⁸ EUR (<see cref="BigInteger"/>), which holds any
/// <see cref="decimal"/> cost without rounding, so the exact positions sum to zero to the last digit. Each figure
/// shown is rounded once from its exact value, half to even to <see cref="Money.Places"/> places — except that the
/// positions, rounded alone, may miss zero by a few micro-euros; then the fewest positions needed, those the rounding
/// moved furthest in the direction of the excess, move one micro-euro back (the largest-remainder method). Every
/// shown position is so within one micro-euro of its exact value, and the shown positions sum to exactly zero, as
/// the transfers, computed from them in whole micro-euros, settle them exactly.
/// </para>
/// <para>
/// Fewest transfers: n providers with non-zero positions need n − g transfers, where g is the largest number of
/// groups they can be split into that each sum to zero (each group settles within itself in size − 1 transfers, and
/// no fewer). Finding g is NP-hard in general (it contains subset-sum), so up to <see cref="ExactUpTo"/> non-zero
/// positions it is found exactly, by a dynamic programme over subsets (2ⁿ sums, n steps each: well under a second
/// for 20), and each group is settled greedily, largest debtor to largest creditor. Beyond that the greedy match over
/// everyone is taken, which needs at most n − 1 transfers, and <see cref="SettlementResult.Minimal"/> says it may
/// not be the fewest. A federation has tens of providers, of which fewer still have open positions.
/// </para>
/// </summary>
public static class SettlementNetting
{
    /// <summary>Up to this many non-zero positions the transfers are the true minimum.</summary>
    public const int ExactUpTo = 20;

    private static readonly BigInteger PerMicro = BigInteger.Pow(10, 28 - Money.Places);

    public static SettlementResult Settle(IEnumerable<ProviderCharge> charges)
    {
        var owed = new Dictionary<(string Payee, string Payer), BigInteger>();
        foreach (var charge in charges.Where(c => c.Payer != c.Payee))
        {
            owed[(charge.Payee, charge.Payer)] = owed.GetValueOrDefault((charge.Payee, charge.Payer)) + Units(charge.Cost);
        }

        var pairs = owed.Keys
            .Select(k => string.CompareOrdinal(k.Payee, k.Payer) < 0 ? (A: k.Payee, B: k.Payer) : (A: k.Payer, B: k.Payee))
            .Distinct()
            .OrderBy(p => p.A, StringComparer.Ordinal).ThenBy(p => p.B, StringComparer.Ordinal)
            .Select(p =>
            {
                var (aChargedB, bChargedA) = (owed.GetValueOrDefault((p.A, p.B)), owed.GetValueOrDefault((p.B, p.A)));
                return new SettlementPair(p.A, p.B, Shown(aChargedB), Shown(bChargedA), Shown(aChargedB - bChargedA));
            })
            .ToArray();

        var providers = owed.Keys.SelectMany(k => new[] { k.Payee, k.Payer }).Distinct().Order(StringComparer.Ordinal).ToArray();
        var charged = providers.Select(p => owed.Where(o => o.Key.Payee == p).Aggregate(BigInteger.Zero, (sum, o) => sum + o.Value)).ToArray();
        var chargedBy = providers.Select(p => owed.Where(o => o.Key.Payer == p).Aggregate(BigInteger.Zero, (sum, o) => sum + o.Value)).ToArray();
        var nets = RoundToZeroSum(providers.Select((_, i) => charged[i] - chargedBy[i]).ToArray());
        var positions = providers.Select((p, i) => new SettlementPosition(p, Shown(charged[i]), Shown(chargedBy[i]), Money.Shown(nets[i] / 1_000_000m))).ToArray();

        var (transfers, minimal) = Transfers(nets);
        return new SettlementResult(
            pairs,
            positions,
            transfers.Select(t => new SettlementTransfer(providers[t.From], providers[t.To], Money.Shown(t.Amount / 1_000_000m)))
                .OrderBy(t => t.From, StringComparer.Ordinal).ThenBy(t => t.To, StringComparer.Ordinal).ToArray(),
            minimal);
    }

    /// <summary>
    /// Payments (from, to, micro-euros) that bring every position to zero; <paramref name="nets"/> sums to zero, positive
    /// is owed to the provider. Also whether they are known to be the fewest.
    /// </summary>
    public static (IReadOnlyList<(int From, int To, long Amount)> Transfers, bool Minimal) Transfers(IReadOnlyList<long> nets)
    {
        if (nets.Sum() != 0)
        {
            throw new ArgumentException("positions must sum to zero", nameof(nets));
        }

        var open = Enumerable.Range(0, nets.Count).Where(i => nets[i] != 0).ToArray();
        var minimal = open.Length <= ExactUpTo;
        var groups = minimal ? ZeroSumGroups(open.Select(i => nets[i]).ToArray()).Select(g => g.Select(j => open[j]).ToArray()) : [open];
        var transfers = new List<(int From, int To, long Amount)>();
        foreach (var group in groups)
        {
            transfers.AddRange(Greedy(group, nets));
        }

        return (transfers, minimal);
    }

    /// <summary>
    /// The values split into the most groups that each sum to zero (indices into <paramref name="values"/>). best[m] is
    /// the most zero-sum prefixes any ordering of the set m can have: the best of leaving out one element, plus one if m
    /// itself sums to zero. The ordering that achieves it, cut after each zero-sum prefix, gives the groups.
    /// </summary>
    private static List<int[]> ZeroSumGroups(long[] values)
    {
        var n = values.Length;
        var full = (1 << n) - 1;
        var sum = new long[1 << n];
        var best = new byte[1 << n];
        for (var mask = 1; mask <= full; mask++)
        {
            var low = BitOperations.TrailingZeroCount(mask);
            sum[mask] = sum[mask & (mask - 1)] + values[low];
            byte most = 0;
            for (var rest = mask; rest != 0; rest &= rest - 1)
            {
                most = Math.Max(most, best[mask & ~(1 << BitOperations.TrailingZeroCount(rest))]);
            }

            best[mask] = (byte)(most + (sum[mask] == 0 ? 1 : 0));
        }

        var lastFirst = new List<int>(n);
        for (var mask = full; mask != 0;)
        {
            var target = best[mask] - (sum[mask] == 0 ? 1 : 0);
            var leave = Enumerable.Range(0, n).First(i => (mask & (1 << i)) != 0 && best[mask & ~(1 << i)] == target);
            lastFirst.Add(leave);
            mask &= ~(1 << leave);
        }

        var groups = new List<int[]>();
        var current = new List<int>();
        long prefix = 0;
        foreach (var i in Enumerable.Reverse(lastFirst))
        {
            current.Add(i);
            prefix += values[i];
            if (prefix == 0)
            {
                groups.Add([.. current]);
                current.Clear();
            }
        }

        return groups;
    }

    /// <summary>Settles a zero-sum group: the largest debtor pays the largest creditor, until none is left; at most size − 1 payments.</summary>
    private static IEnumerable<(int From, int To, long Amount)> Greedy(int[] group, IReadOnlyList<long> nets)
    {
        var left = group.ToDictionary(i => i, i => nets[i]);
        while (left.Values.Any(v => v != 0))
        {
            // Ties by index (the providers' ordinal order), so the same positions always give the same transfers.
            var debtor = left.Where(l => l.Value < 0).OrderBy(l => l.Value).ThenBy(l => l.Key).First().Key;
            var creditor = left.Where(l => l.Value > 0).OrderByDescending(l => l.Value).ThenBy(l => l.Key).First().Key;
            var amount = Math.Min(-left[debtor], left[creditor]);
            left[debtor] += amount;
            left[creditor] -= amount;
            yield return (debtor, creditor, amount);
        }
    }

    /// <summary>
    /// Exact positions (units of 10⁻²⁸ EUR, summing to zero) as whole micro-euros summing to zero: each rounded half to
    /// even, then, if the rounded ones miss zero by k, the k rounded furthest in that direction moved back by one.
    /// </summary>
    public static long[] RoundToZeroSum(IReadOnlyList<BigInteger> exact)
    {
        var rounded = exact.Select(Micros).ToArray();
        var excess = rounded.Sum();
        if (excess != 0)
        {
            // What rounding added to each (in 10⁻²⁸ EUR); to undo an excess, take back from those it added most to.
            var order = Enumerable.Range(0, exact.Count)
                .OrderByDescending(i => Math.Sign(excess) * ((rounded[i] * PerMicro) - exact[i]))
                .ThenBy(i => i)
                .Take((int)Math.Abs(excess));
            foreach (var i in order)
            {
                rounded[i] -= Math.Sign(excess);
            }
        }

        return rounded;
    }

    /// <summary>A decimal as a whole number of 10⁻²⁸ EUR, exactly (a decimal's scale is at most 28).</summary>
    public static BigInteger Units(decimal amount)
    {
        var bits = decimal.GetBits(amount);
        var mantissa = (new BigInteger((uint)bits[2]) << 64) | (new BigInteger((uint)bits[1]) << 32) | new BigInteger((uint)bits[0]);
        var scale = (bits[3] >> 16) & 0xFF;
        var units = mantissa * BigInteger.Pow(10, 28 - scale);
        return bits[3] < 0 ? -units : units;
    }

    /// <summary>Half to even, to whole micro-euros.</summary>
    private static long Micros(BigInteger units)
    {
        var quotient = BigInteger.DivRem(BigInteger.Abs(units), PerMicro, out var remainder);
        var twice = remainder * 2;
        if (twice > PerMicro || (twice == PerMicro && !quotient.IsEven))
        {
            quotient += 1;
        }

        return (long)(units.Sign < 0 ? -quotient : quotient);
    }

    private static decimal Shown(BigInteger units) => Money.Shown(Micros(units) / 1_000_000m);
}

/// <summary>What <see cref="SettlementNetting.Settle"/> gives: <see cref="Minimal"/> when the transfers are known to be the fewest.</summary>
public sealed record SettlementResult(SettlementPair[] Pairs, SettlementPosition[] Positions, SettlementTransfer[] Transfers, bool Minimal);
