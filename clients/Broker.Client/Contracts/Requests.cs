namespace Broker.Client;

/// <summary>What a tenant asks for: the body of <c>POST /v1/requests</c>. Unset optional fields take the broker's defaults.</summary>
public sealed record NewRequest
{
    public required IReadOnlyList<RequestItem> Items { get; init; }
    public RequestConstraints? Constraints { get; init; }
    /// <summary>ISO 8601 duration (<c>P30D</c>, <c>PT2H</c>); the broker's default is <c>P30D</c>.</summary>
    public string? Lease { get; init; }
    public Priority? Priority { get; init; }
    public bool? Splittable { get; init; }
}

public sealed record RequestItem(string Resource, long Amount);

public sealed record RequestConstraints
{
    public ProtectionLevel? ProtectionLevel { get; init; }
    /// <summary>A country (<c>DE</c>), a German state (<c>DE-NW</c>) or <c>EU</c>.</summary>
    public string? Residency { get; init; }
    public ProviderFilter? Providers { get; init; }
    public bool? MembersOnly { get; init; }
    public decimal? MaxHourlyCost { get; init; }
}

public sealed record ProviderFilter
{
    public IReadOnlyList<string>? Allow { get; init; }
    public IReadOnlyList<string>? Deny { get; init; }
}

/// <summary>A request as the broker shows it.</summary>
public sealed record BrokerRequest(
    string Id,
    string Tenant,
    RequestState State,
    RejectionReason? Reason,
    Allocation? Allocation,
    DateTimeOffset? LeaseExpiresAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DecidedAt,
    DateTimeOffset? EndedAt,
    IReadOnlyList<TraceEntry> Trace,
    RequestSpec Request)
{
    /// <summary>Whether the broker has decided (anything but <see cref="RequestState.Negotiating"/>).</summary>
    public bool IsDecided => State != RequestState.Negotiating;
}

/// <summary>Why a request was rejected: <c>no-capacity</c>, <c>unsatisfiable</c>, <c>over-budget</c>, <c>quota-exceeded</c>, <c>negotiation-failed</c> (the broker could not reach a data center it had to ask: try again with a new key)</summary>
public sealed record RejectionReason(string Code, string Detail);

public sealed record Allocation(Tier Tier, string Provider, IReadOnlyList<AllocationPart> Parts, decimal HourlyCost);

public sealed record AllocationPart(string DataCenter, string Provider, Tier Tier, string Resource, long Amount, decimal PricePerUnitHour);

/// <summary>One data center the broker asked: <c>won</c>, <c>declined</c>, <c>outranked</c>, …</summary>
public sealed record TraceEntry(string DataCenter, string Provider, string Outcome, string? Reason, double? Score);

/// <summary>The request as the broker understood it, defaults filled in.</summary>
public sealed record RequestSpec(IReadOnlyList<RequestItem> Items, SpecConstraints Constraints, string Lease, Priority Priority, bool Splittable);

public sealed record SpecConstraints(ProtectionLevel ProtectionLevel, string Residency, SpecProviders Providers, bool MembersOnly, decimal? MaxHourlyCost);

public sealed record SpecProviders(IReadOnlyList<string> Allow, IReadOnlyList<string> Deny);

/// <summary>One page of a tenant's requests, newest first; <see cref="Next"/> is the cursor of the next page, if any.</summary>
public sealed record RequestPage(IReadOnlyList<BrokerRequest> Items, string? Next);
