using Broker.Domain;
using Broker.Requests;

namespace Broker.Silo.Api;

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
    public string? Resource { get; init; }
    public long? Amount { get; init; }
}

public sealed record ConstraintsBody
{
    public ProtectionLevel? ProtectionLevel { get; init; }
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
    MoveResource[] Moves)
{
    public static RequestResource From(RequestSnapshot s) => new(
        s.Id,
        s.Tenant,
        s.State,
        s.Reason is null ? null : new ReasonResource(s.Reason.Code, s.Reason.Detail),
        s.Allocation is null ? null : AllocationResource.From(s.Allocation),
        s.LeaseExpiresAt,
        s.CreatedAt,
        s.DecidedAt,
        s.EndedAt,
        s.Trace.Select(TraceResource.From).ToArray(),
        SpecResource.From(s.Spec),
        s.Moves.Select(m => new MoveResource(m.At, m.From, m.To)).ToArray());
}

/// <summary>A drain moved the allocation (or a part of it) from one data center to another at that moment; id and lease end stayed.</summary>
public sealed record MoveResource(DateTimeOffset At, string From, string To);

public sealed record ReasonResource(RejectionCode Code, string Detail);

public sealed record AllocationResource(Tier Tier, string Provider, PartResource[] Parts, decimal HourlyCost)
{
    public static AllocationResource From(Allocation a) => new(
        a.Tier,
        a.Provider,
        a.Parts.Select(p => new PartResource(p.DataCenter, p.Provider, p.Tier, p.Resource, p.Amount, p.PricePerUnitHour)).ToArray(),
        a.HourlyCost);
}

public sealed record PartResource(string DataCenter, string Provider, Tier Tier, string Resource, long Amount, decimal PricePerUnitHour);

public sealed record TraceResource(string DataCenter, string Provider, TraceOutcome Outcome, string? Reason, double? Score)
{
    public static TraceResource From(TraceEntry t) => new(t.DataCenter, t.Provider, t.Outcome, t.Reason, t.Score);
}

/// <summary>The request as the broker understood it, defaults filled in.</summary>
public sealed record SpecResource(ItemResource[] Items, ConstraintsResource Constraints, string Lease, Priority Priority, bool Splittable)
{
    public static SpecResource From(RequestSpec spec) => new(
        spec.Items.Select(i => new ItemResource(i.Resource, i.Amount)).ToArray(),
        new ConstraintsResource(
            spec.Constraints.ProtectionLevel,
            spec.Constraints.Residency,
            new ProvidersResource(spec.Constraints.AllowProviders, spec.Constraints.DenyProviders),
            spec.Constraints.MembersOnly,
            spec.Constraints.MaxHourlyCost),
        Iso8601Duration.Format(spec.Lease),
        spec.Priority,
        spec.Splittable);
}

public sealed record ItemResource(string Resource, long Amount);

public sealed record ConstraintsResource(ProtectionLevel ProtectionLevel, string Residency, ProvidersResource Providers, bool MembersOnly, decimal? MaxHourlyCost);

public sealed record ProvidersResource(string[] Allow, string[] Deny);

public sealed record RequestListResource(RequestResource[] Items, string? Next);
