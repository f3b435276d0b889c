using System.Globalization;

namespace Broker.Silo.Portal;

/// <summary>How the portal writes numbers, money and times: in the reader's language, money as the API rounded it.</summary>
public static class PortalFormat
{
    public static string Units(long value) => value.ToString("N0", CultureInfo.CurrentCulture);

    /// <summary>EUR as the API shows it (already rounded), every digit it has and no more.</summary>
    public static string Money(decimal value) => value.ToString("#,0.######", CultureInfo.CurrentCulture);

    public static string Share(double ratio) => ratio.ToString("P1", CultureInfo.CurrentCulture);

    public static string Time(DateTimeOffset? at) =>
        at is { } value ? value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC" : "–";

    /// <summary>
    /// A decimal typed into a form, with a comma or a point as the decimal separator whatever the page's language
    /// (a German reader writes 0,00012, a script 0.00012); null when empty, and <paramref name="valid"/> false when unreadable.
    /// </summary>
    public static decimal? ParseDecimal(string? text, out bool valid)
    {
        valid = true;
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var normal = text.Trim().Replace(',', '.');
        if (decimal.TryParse(normal, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        valid = false;
        return null;
    }

    /// <summary>A whole number typed into a form (digits, optionally grouped by spaces, points or commas); null when empty or unreadable.</summary>
    public static long? ParseWhole(string? text, out bool valid)
    {
        valid = true;
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var digits = text.Trim().Replace(" ", "", StringComparison.Ordinal).Replace(".", "", StringComparison.Ordinal).Replace(",", "", StringComparison.Ordinal);
        if (long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        valid = false;
        return null;
    }
}
