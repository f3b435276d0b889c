using System.Globalization;
using Broker.Audit;
using Microsoft.AspNetCore.Mvc;

namespace Broker.Silo.Api;

/// <summary>The query string of <c>GET /v1/audit</c>, bound by name so that the API reference lists each filter.</summary>
/// <param name="Tenant">Only entries about this tenant's requests.</param>
/// <param name="Provider">Only entries concerning this provider.</param>
/// <param name="Action">request.decided, request.renewed, request.released, request.expired, pool.changed or federation.upserted.</param>
/// <param name="Subject">A request id, <c>{dataCenter}/{resource}</c>, or <c>federation</c>.</param>
/// <param name="Actor">tenant:{id}, provider-admin:{id}, federation-admin or broker.</param>
/// <param name="From">Recorded at or after (ISO 8601 date or date-time with offset).</param>
/// <param name="To">Recorded before (ISO 8601 date or date-time with offset).</param>
/// <param name="Limit">1 to 1000, default 100.</param>
/// <param name="After">The <c>next</c> cursor of the previous page.</param>
public sealed record AuditListParameters(
    [FromQuery(Name = "tenant")] string? Tenant,
    [FromQuery(Name = "provider")] string? Provider,
    [FromQuery(Name = "action")] string? Action,
    [FromQuery(Name = "subject")] string? Subject,
    [FromQuery(Name = "actor")] string? Actor,
    [FromQuery(Name = "from")] string? From,
    [FromQuery(Name = "to")] string? To,
    [FromQuery(Name = "limit")] string? Limit,
    [FromQuery(Name = "after")] string? After);

/// <summary>Reads the audit trail's filters; every bad one is named in the errors.</summary>
public static class AuditQueryParser
{
    private const int DefaultLimit = 100;
    private const int MaxLimit = 1000;

    public static (AuditQuery Query, Dictionary<string, string[]> Errors) Parse(AuditListParameters query, int maxFilterLength)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);

        string? Text(string name, string? value)
        {
            if (string.IsNullOrEmpty(value))
            {
                return null;
            }

            if (value.Length > maxFilterLength || value.Any(char.IsControl))
            {
                errors[name] = [$"must be at most {maxFilterLength} characters, without control characters"];
            }

            return value;
        }

        DateTimeOffset? Instant(string name, string? value)
        {
            if (string.IsNullOrEmpty(value))
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

        var action = Text("action", query.Action);
        if (action is not null && !AuditActions.All.Contains(action))
        {
            errors["action"] = ["must be one of " + string.Join(", ", AuditActions.All.Order(StringComparer.Ordinal))];
        }

        var limit = DefaultLimit;
        if (!string.IsNullOrEmpty(query.Limit) && (!int.TryParse(query.Limit, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            errors["limit"] = [$"must be a whole number from 1 to {MaxLimit}"];
        }

        AuditPosition? before = null;
        if (!string.IsNullOrEmpty(query.After) && !AuditPosition.TryParse(query.After, out before))
        {
            errors["after"] = ["must be the 'next' cursor of a previous page"];
        }

        var parsed = new AuditQuery(
            limit, Text("tenant", query.Tenant), Text("provider", query.Provider), WithoutTenant: false, action, Text("subject", query.Subject),
            Text("actor", query.Actor), Instant("from", query.From), Instant("to", query.To), before);
        return (parsed, errors);
    }
}
