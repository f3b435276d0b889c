using System.Globalization;
using System.Text.RegularExpressions;

namespace Broker.Silo.Api;

/// <summary>
/// ISO 8601 durations in weeks, days, hours, minutes and seconds (<c>P30D</c>, <c>PT12H</c>, <c>P1W2D</c>).
/// Years and months are refused: their length depends on the calendar, and a lease must be exact.
/// </summary>
public static partial class Iso8601Duration
{
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = default;
        var match = text is null ? null : Pattern().Match(text);
        if (match is null || !match.Success || text == "P" || text!.EndsWith('T'))
        {
            return false;
        }

        try
        {
            duration = TimeSpan.FromDays(7 * Number(match, "w"))
                + TimeSpan.FromDays(Number(match, "d"))
                + TimeSpan.FromHours(Number(match, "h"))
                + TimeSpan.FromMinutes(Number(match, "m"))
                + TimeSpan.FromSeconds(Number(match, "s"));
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    /// <summary>The shortest exact form in days, hours, minutes and seconds: <c>P30D</c>, <c>PT2H</c>, <c>P1DT30M</c>.</summary>
    public static string Format(TimeSpan duration)
    {
        var text = new System.Text.StringBuilder("P");
        if (duration.Days > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{duration.Days}D");
        }

        var seconds = duration.Seconds + (duration.Ticks % TimeSpan.TicksPerSecond / (double)TimeSpan.TicksPerSecond);
        if (duration.Hours == 0 && duration.Minutes == 0 && seconds == 0)
        {
            return text.Length == 1 ? "PT0S" : text.ToString();
        }

        text.Append('T');
        Part(text, duration.Hours, 'H');
        Part(text, duration.Minutes, 'M');
        Part(text, seconds, 'S');
        return text.ToString();
    }

    private static void Part(System.Text.StringBuilder text, double value, char unit)
    {
        if (value != 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{value}{unit}");
        }
    }

    private static double Number(Match match, string group) =>
        match.Groups[group].Success ? double.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture) : 0;

    [GeneratedRegex(@"^P(?:(?<w>\d{1,6})W)?(?:(?<d>\d{1,6})D)?(?:T(?:(?<h>\d{1,7})H)?(?:(?<m>\d{1,9})M)?(?:(?<s>\d{1,10}(?:\.\d{1,7})?)S)?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
