namespace Broker.Silo.Api;

/// <summary>
/// How bills and statements show money (EUR). The ledger keeps each charge exact (amount × hours × price, to
/// the last decimal digit a <see cref="decimal"/> holds); what a reader sees is rounded here, once per figure:
/// a charge line and every total or net to <see cref="Places"/> decimal places, each computed from the exact
/// costs beneath it (never by adding rounded figures), and what is due to the cent from that shown total.
/// Both round half to even (banker's rounding), so that rounding many figures does not drift upwards.
/// </summary>
public static class Money
{
    public const string Currency = "EUR";

    /// <summary>A micro-euro: fine enough that a unit-hour priced at 0.0001 EUR still shows exactly.</summary>
    public const int Places = 6;

    /// <summary>An exact amount as a bill shows it, without trailing zeros (<c>0</c>, not <c>0.000000</c>).</summary>
    public static decimal Shown(decimal exact) => WithoutTrailingZeros(Math.Round(exact, Places, MidpointRounding.ToEven));

    /// <summary>What is due for a shown total: to the cent.</summary>
    public static decimal Due(decimal shownTotal) => WithoutTrailingZeros(Math.Round(shownTotal, 2, MidpointRounding.ToEven));

    private static decimal WithoutTrailingZeros(decimal value)
    {
        for (var places = 0; places < Places; places++)
        {
            var shorter = Math.Round(value, places);
            if (shorter == value)
            {
                return shorter;
            }
        }

        return value;
    }
}
