using System.Globalization;
using System.Text.RegularExpressions;

namespace Broker.Silo.Api;

/// <summary>
/// RFC 3339 instants as the API takes them: a date, a time and an explicit offset (<c>Z</c> or <c>+01:00</c>) — never
/// one without, which would be read in whatever zone the silo runs in.
/// </summary>
public static partial class Rfc3339
{
    public static DateTimeOffset? Parse(string? text, string field, Dictionary<string, string[]> errors)
    {
        if (text is null)
        {
            errors[field] = ["is required: an RFC 3339 instant such as 2026-12-01T18:00:00Z"];
            return null;
        }

        if (!Shape().IsMatch(text) || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
        {
            errors[field] = ["must be an RFC 3339 instant with an offset, such as 2026-12-01T18:00:00Z"];
            return null;
        }

        return at;
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?(Z|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}
