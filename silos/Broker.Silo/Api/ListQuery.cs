using Broker.Contracts;
using System.Globalization;
using Broker.Tenants;

namespace Broker.Silo.Api;

/// <summary>The query of a tenant's list (<c>state</c>, <c>limit</c> 1–1000, <c>after</c> a previous page's cursor), or the fields at fault.</summary>
public sealed record ListQuery<TState>(TState? State, int Limit, string? After)
    where TState : struct, Enum
{
    public static (ListQuery<TState>? Query, Dictionary<string, string[]> Errors) Parse(string? state, string? limit, string? after)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        TState? filter = null;
        if (state is not null)
        {
            if (ApiEnums.TryParse<TState>(state, out var parsed) && parsed.ToString() != "None")
            {
                filter = parsed;
            }
            else
            {
                errors["state"] = ["must be one of " + ApiEnums.Listed<TState>()];
            }
        }

        var pageSize = 100;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize is < 1 or > 1000))
        {
            errors["limit"] = ["must be a whole number from 1 to 1000"];
        }

        if (after is not null && !RequestCursor.TryParse(after, out _))
        {
            errors["after"] = ["must be the 'next' cursor of a previous page"];
        }

        return (errors.Count > 0 ? null : new ListQuery<TState>(filter, pageSize, after), errors);
    }
}
