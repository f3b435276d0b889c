namespace Broker.Contracts;

/// <summary>The body of <c>POST /v1/requests</c>. Optional fields are nullable so absence can be told from a value.</summary>
public sealed record CreateRequestBody
{
    public ItemBody[]? Items { get; init; }
    public ConstraintsBody? Constraints { get; init; }
    /// <summary>ISO 8601 duration, default <c>P30D</c>, at most <c>P365D</c>.</summary>
    public string? Lease { get; init; }
    public Priority? Priority { get; init; }
    public bool? Splittable { get; init; }
}

public sealed record ItemBody
{
    public ItemBody()
    {
    }

    /// <summary>An item as a client writes one; the parameterless constructor is the one JSON reads with.</summary>
    public ItemBody(string resource, long amount) => (Resource, Amount) = (resource, amount);

    public string? Resource { get; init; }
    public long? Amount { get; init; }
}

public sealed record ConstraintsBody
{
    public ProtectionLevel? ProtectionLevel { get; init; }
    /// <summary>A country (<c>DE</c>, the default), a German state (<c>DE-NW</c>) or <c>EU</c>.</summary>
    public string? Residency { get; init; }
    public ProviderFilterBody? Providers { get; init; }
    public bool? MembersOnly { get; init; }
    public decimal? MaxHourlyCost { get; init; }
}

public sealed record ProviderFilterBody
{
    public string[]? Allow { get; init; }
    public string[]? Deny { get; init; }
}

/// <summary>The body of <c>POST /v1/requests/{id}/renew</c>.</summary>
public sealed record RenewBody
{
    public string? Lease { get; init; }
}

/// <summary>A request as the API shows it.</summary>
public sealed record RequestResource(
    string Id,
    string Tenant,
    RequestState State,
    ReasonResource? Reason,
    AllocationResource? Allocation,
    DateTimeOffset? LeaseExpiresAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DecidedAt,
    DateTimeOffset? EndedAt,
    TraceResource[] Trace,
    SpecResource Request,
    MoveResource[] Moves);

/// <summary>A drain moved the allocation (or a part of it) from one data center to another at that moment; id and lease end stayed.</summary>
public sealed record MoveResource(DateTimeOffset At, string From, string To);

public sealed record ReasonResource(RejectionCode Code, string Detail);

public sealed record AllocationResource(Tier Tier, string Provider, PartResource[] Parts, decimal HourlyCost);

public sealed record PartResource(string DataCenter, string Provider, Tier Tier, string Resource, long Amount, decimal PricePerUnitHour);

public sealed record TraceResource(string DataCenter, string Provider, TraceOutcome Outcome, string? Reason, double? Score);

/// <summary>The request as the broker understood it, defaults filled in.</summary>
public sealed record SpecResource(ItemResource[] Items, ConstraintsResource Constraints, string Lease, Priority Priority, bool Splittable);

public sealed record ItemResource(string Resource, long Amount);

public sealed record ConstraintsResource(ProtectionLevel ProtectionLevel, string Residency, ProvidersResource Providers, bool MembersOnly, decimal? MaxHourlyCost);

public sealed record ProvidersResource(string[] Allow, string[] Deny);

public sealed record RequestListResource(RequestResource[] Items, string? Next);
