using System.Globalization;
using Broker.Audit;

namespace Broker.Silo.Api;

/// <summary>Reads the audit trail's filters from a query string; every bad one is named in the errors.</summary>
public static class AuditQueryParser
{
    private const int DefaultLimit = 100;
    private const int MaxLimit = 1000;

    public static (AuditQuery Query, Dictionary<string, string[]> Errors) Parse(IQueryCollection query, int maxFilterLength)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);

        string? Text(string name)
        {
            var value = query[name].ToString();
            if (value.Length == 0)
            {
                return null;
            }

            if (value.Length > maxFilterLength || value.Any(char.IsControl))
            {
                errors[name] = [$"must be at most {maxFilterLength} characters, without control characters"];
            }

            return value;
        }

        DateTimeOffset? Instant(string name)
        {
            var value = query[name].ToString();
            if (value.Length == 0)
            {
                return null;
            }

            if (DateTimeOffset.TryParseExact(value, ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            {
                return at;
            }

            errors[name] = ["must be a date or an ISO 8601 date-time with an offset, such as 2026-11-02T08:00:00Z"];
            return null;
        }

        var action = Text("action");
        if (action is not null && !AuditActions.All.Contains(action))
        {
            errors["action"] = ["must be one of " + string.Join(", ", AuditActions.All.Order(StringComparer.Ordinal))];
        }

        var limit = DefaultLimit;
        var limitText = query["limit"].ToString();
        if (limitText.Length > 0 && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            errors["limit"] = [$"must be a whole number from 1 to {MaxLimit}"];
        }

        AuditPosition? before = null;
        var after = query["after"].ToString();
        if (after.Length > 0 && !AuditPosition.TryParse(after, out before))
        {
            errors["after"] = ["must be the 'next' cursor of a previous page"];
        }

        var parsed = new AuditQuery(
            limit, Text("tenant"), Text("provider"), WithoutTenant: false, action, Text("subject"), Text("actor"), Instant("from"), Instant("to"), before);
        return (parsed, errors);
    }
}
