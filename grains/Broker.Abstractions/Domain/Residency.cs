namespace Broker.Domain;

/// <summary>
/// Where capacity must be: a country (<c>DE</c>), a German state as ISO 3166-2 (<c>DE-NW</c>) or the EU (<c>EU</c>).
/// A data center's location is always a country or a country subdivision.
/// </summary>
public static class Residency
{
    public const string EuropeanUnion = "EU";

    private static readonly HashSet<string> EuCountries =
    [
        "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT",
        "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
    ];

    /// <summary>A location is <c>CC</c> or <c>CC-XXX</c> with an upper-case country code.</summary>
    public static bool IsValidLocation(string location)
    {
        var dash = location.IndexOf('-');
        var country = dash < 0 ? location : location[..dash];
        if (country.Length != 2 || !country.All(char.IsAsciiLetterUpper))
        {
            return false;
        }

        if (dash < 0)
        {
            return true;
        }

        var subdivision = location[(dash + 1)..];
        return subdivision.Length is >= 1 and <= 3 && subdivision.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c));
    }

    /// <summary>A residency requirement is a valid location or <c>EU</c>.</summary>
    public static bool IsValidRequirement(string residency) => residency == EuropeanUnion || IsValidLocation(residency);

    public static string CountryOf(string location)
    {
        var dash = location.IndexOf('-');
        return dash < 0 ? location : location[..dash];
    }

    /// <summary>Whether a data center at <paramref name="location"/> satisfies <paramref name="requirement"/>.</summary>
    public static bool Satisfies(string location, string requirement)
    {
        if (requirement == EuropeanUnion)
        {
            return EuCountries.Contains(CountryOf(location));
        }

        // A country requirement takes every location in that country; a state requirement only that state.
        return requirement.Contains('-')
            ? string.Equals(location, requirement, StringComparison.Ordinal)
            : string.Equals(CountryOf(location), requirement, StringComparison.Ordinal);
    }
}
