using Broker.Contracts;
using Broker.Domain;
using Broker.Grains.Federation;
using Broker.Requests;
using Priority = Broker.Domain.Priority;
using ProtectionLevel = Broker.Domain.ProtectionLevel;

namespace Broker.Silo.Api;

/// <summary>Turns a request body into a <see cref="RequestSpec"/>, or into the list of fields at fault.</summary>
public static class RequestValidation
{
    public const int MaxItems = 16;
    public const long MaxAmount = 1_000_000_000_000;
    public const int MaxProviderFilter = 64;
    public static readonly TimeSpan MaxLease = TimeSpan.FromDays(365);
    public static readonly TimeSpan DefaultLease = TimeSpan.FromDays(30);

    public static (RequestSpec? Spec, Dictionary<string, string[]> Errors) ToSpec(CreateRequestBody body, Func<string, bool> isKnownResource)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var items = ValidateItems(body.Items, isKnownResource, errors);
        var constraints = ValidateConstraints(body.Constraints ?? new ConstraintsBody(), errors);
        var lease = ValidateLease(body.Lease, "lease", errors);
        if (errors.Count > 0)
        {
            return (null, errors);
        }

        return (new RequestSpec
        {
            Items = items,
            Constraints = constraints,
            Lease = lease,
            Priority = body.Priority?.ToDomain() ?? Priority.Normal,
            Splittable = body.Splittable ?? false,
        }, errors);
    }

    /// <summary>
    /// A reservation's body: the items, constraints and priority as for a request (held in one data center), and its
    /// window — <c>start</c> in the future, <c>end</c> after it and at most <see cref="MaxLease"/> ahead of now. The spec's
    /// lease is the window's length: the lease its request gets at start.
    /// </summary>
    public static (ReservationAskBody? Reservation, Dictionary<string, string[]> Errors) ToReservation(CreateReservationBody body, Func<string, bool> isKnownResource, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var items = ValidateItems(body.Items, isKnownResource, errors);
        var constraints = ValidateConstraints(body.Constraints ?? new ConstraintsBody(), errors);
        if (body.Splittable == true)
        {
            errors["splittable"] = ["a reservation is held in one data center; it cannot be split"];
        }

        var start = Rfc3339.Parse(body.Start, "start", errors);
        var end = Rfc3339.Parse(body.End, "end", errors);
        if (start is { } s && s <= now)
        {
            errors["start"] = ["must be in the future"];
        }

        if (start is { } from && end is { } to && to <= from)
        {
            errors["end"] = ["must be after start"];
        }
        else if (end is { } last && last > now + MaxLease)
        {
            errors["end"] = ["must be at most 365 days ahead"];
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var spec = new RequestSpec
        {
            Items = items,
            Constraints = constraints,
            Lease = end!.Value - start!.Value,
            Priority = body.Priority?.ToDomain() ?? Priority.Normal,
        };
        return (new ReservationAskBody(spec, start.Value, end.Value), errors);
    }

    public static TimeSpan ValidateLease(string? lease, string field, Dictionary<string, string[]> errors)
    {
        if (lease is null)
        {
            return DefaultLease;
        }

        if (!Iso8601Duration.TryParse(lease, out var duration))
        {
            errors[field] = ["must be an ISO 8601 duration in weeks, days, hours, minutes or seconds, such as P30D or PT12H"];
        }
        else if (duration <= TimeSpan.Zero || duration > MaxLease)
        {
            errors[field] = ["must be longer than zero and at most P365D"];
        }

        return duration;
    }

    private static RequestItem[] ValidateItems(ItemBody[]? items, Func<string, bool> isKnownResource, Dictionary<string, string[]> errors)
    {
        if (items is null || items.Length is 0 or > MaxItems)
        {
            errors["items"] = [$"must hold 1 to {MaxItems} items"];
            return [];
        }

        var result = new List<RequestItem>();
        for (var i = 0; i < items.Length; i++)
        {
            var item = items[i];
            if (item is null)
            {
                errors[$"items[{i}]"] = ["must be an object"];
                continue;
            }

            if (string.IsNullOrEmpty(item.Resource) || !ResourceClasses.IsWellFormed(item.Resource) || !isKnownResource(item.Resource))
            {
                errors[$"items[{i}].resource"] = ["must be a resource class the federation offers, such as storage.ssd"];
            }

            if (item.Amount is null or <= 0 or > MaxAmount)
            {
                errors[$"items[{i}].amount"] = [$"must be a whole number from 1 to {MaxAmount}"];
            }

            if (item.Resource is not null && item.Amount is not null)
            {
                result.Add(new RequestItem(item.Resource, item.Amount.Value));
            }
        }

        if (result.GroupBy(r => r.Resource).Any(g => g.Count() > 1))
        {
            errors["items"] = ["each resource class may appear only once"];
        }

        return result.ToArray();
    }

    private static RequestConstraints ValidateConstraints(ConstraintsBody body, Dictionary<string, string[]> errors)
    {
        var residency = body.Residency ?? "DE";
        if (!Residency.IsValidRequirement(residency))
        {
            errors["constraints.residency"] = ["must be a country (DE), an ISO 3166-2 state (DE-NW) or EU"];
        }

        var allow = ValidateProviderIds(body.Providers?.Allow, "constraints.providers.allow", errors);
        var deny = ValidateProviderIds(body.Providers?.Deny, "constraints.providers.deny", errors);
        if (body.MaxHourlyCost is <= 0)
        {
            errors["constraints.maxHourlyCost"] = ["must be above zero"];
        }

        return new RequestConstraints
        {
            ProtectionLevel = body.ProtectionLevel?.ToDomain() ?? ProtectionLevel.Normal,
            Residency = residency,
            AllowProviders = allow,
            DenyProviders = deny,
            MembersOnly = body.MembersOnly ?? false,
            MaxHourlyCost = body.MaxHourlyCost,
        };
    }

    private static string[] ValidateProviderIds(string[]? ids, string field, Dictionary<string, string[]> errors)
    {
        if (ids is null)
        {
            return [];
        }

        if (ids.Length > MaxProviderFilter || ids.Any(id => !FederationValidator.IsId(id)))
        {
            errors[field] = [$"must be at most {MaxProviderFilter} provider ids"];
            return [];
        }

        return ids.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
    }
}

/// <summary>A validated reservation body: the spec (its lease the window's length) and the window.</summary>
public sealed record ReservationAskBody(RequestSpec Spec, DateTimeOffset Start, DateTimeOffset End);
