using System.Text.Json;

namespace Broker.Faults.History;

/// <summary>A request as an answer of the broker showed it, in the fields the checker needs.</summary>
public sealed record RequestView(
    string Id,
    string Tenant,
    string State,
    string? Reason,
    string? Tier,
    PartView[] Parts,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DecidedAt,
    DateTimeOffset? EndedAt,
    DateTimeOffset? LeaseExpiresAt,
    SpecView Spec)
{
    public bool IsDecided => State is "allocated" or "rejected" or "released" or "expired";

    /// <summary>Where it stands: 0 negotiating, 1 decided (allocated or rejected), 2 ended (released or expired).</summary>
    public int Rank => State switch
    {
        "negotiating" => 0,
        "allocated" or "rejected" => 1,
        _ => 2,
    };

    /// <summary>What was decided: rejected, or allocated (also when it has since ended).</summary>
    public string Decision => State == "rejected" ? "rejected" : State == "negotiating" ? "none" : "allocated";

    /// <summary>Reads a request resource of the API (camelCase JSON).</summary>
    public static RequestView From(JsonElement r)
    {
        var allocation = r.GetProperty("allocation");
        var spec = r.GetProperty("request");
        var constraints = spec.GetProperty("constraints");
        return new RequestView(
            r.GetProperty("id").GetString()!,
            r.GetProperty("tenant").GetString()!,
            r.GetProperty("state").GetString()!,
            r.GetProperty("reason") is { ValueKind: JsonValueKind.Object } reason ? reason.GetProperty("code").GetString() : null,
            allocation.ValueKind == JsonValueKind.Object ? allocation.GetProperty("tier").GetString() : null,
            allocation.ValueKind == JsonValueKind.Object
                ? allocation.GetProperty("parts").EnumerateArray().Select(p => new PartView(
                    p.GetProperty("dataCenter").GetString()!,
                    p.GetProperty("provider").GetString()!,
                    p.GetProperty("tier").GetString()!,
                    p.GetProperty("resource").GetString()!,
                    p.GetProperty("amount").GetInt64(),
                    p.GetProperty("pricePerUnitHour").GetDecimal())).ToArray()
                : [],
            r.GetProperty("createdAt").GetDateTimeOffset(),
            OptionalTime(r, "decidedAt"),
            OptionalTime(r, "endedAt"),
            OptionalTime(r, "leaseExpiresAt"),
            new SpecView(
                spec.GetProperty("items").EnumerateArray().Select(i => new ItemSpec(i.GetProperty("resource").GetString()!, i.GetProperty("amount").GetInt64())).ToArray(),
                spec.GetProperty("lease").GetString()!,
                spec.GetProperty("splittable").GetBoolean(),
                spec.GetProperty("priority").GetString()!,
                constraints.GetProperty("residency").GetString()!,
                constraints.GetProperty("protectionLevel").GetString()!));
    }

    /// <summary>Whether both show the same placement: the same parts in the same data centers.</summary>
    public bool SamePlacement(RequestView other) =>
        Parts.Length == other.Parts.Length
        && Parts.Zip(other.Parts).All(p => p.First.DataCenter == p.Second.DataCenter && p.First.Resource == p.Second.Resource && p.First.Amount == p.Second.Amount);

    private static DateTimeOffset? OptionalTime(JsonElement r, string name) =>
        r.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetDateTimeOffset() : null;
}

public sealed record PartView(string DataCenter, string Provider, string Tier, string Resource, long Amount, decimal PricePerUnitHour);

public sealed record SpecView(ItemSpec[] Items, string Lease, bool Splittable, string Priority, string Residency, string ProtectionLevel);

/// <summary>One pool as its data center reported it.</summary>
public sealed record PoolView(string DataCenter, string Resource, long Capacity, long Allocated, long Held);
