using Broker.Domain;

namespace Broker.Requests;

/// <summary>What a request looks like to its tenant at one moment.</summary>
[GenerateSerializer, Immutable, Alias("broker.request-snapshot")]
public sealed record RequestSnapshot
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required string Tenant { get; init; }
    [Id(2)] public required RequestState State { get; init; }
    [Id(3)] public Rejection? Reason { get; init; }
    [Id(4)] public Allocation? Allocation { get; init; }
    [Id(5)] public DateTimeOffset? LeaseExpiresAt { get; init; }
    [Id(6)] public required DateTimeOffset CreatedAt { get; init; }
    [Id(7)] public DateTimeOffset? DecidedAt { get; init; }
    [Id(8)] public DateTimeOffset? EndedAt { get; init; }
    [Id(9)] public TraceEntry[] Trace { get; init; } = [];
    [Id(10)] public required RequestSpec Spec { get; init; }
    /// <summary>Where a drain moved the allocation from and to, oldest first.</summary>
    [Id(11)] public RequestMove[] Moves { get; init; } = [];
}

/// <summary>
/// One make-before-break move of (part of) a request's allocation: at that moment the old place stopped being charged
/// and the new one began. A part spread over several new places is one move per place, all at the same moment.
/// </summary>
[GenerateSerializer, Immutable, Alias("broker.request-move")]
public sealed record RequestMove(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] string From,
    [property: Id(2)] string To);

[GenerateSerializer, Immutable, Alias("broker.rejection")]
public sealed record Rejection([property: Id(0)] RejectionCode Code, [property: Id(1)] string Detail);

/// <summary>A confirmed allocation: one part per data center and resource class.</summary>
[GenerateSerializer, Immutable, Alias("broker.allocation")]
public sealed record Allocation
{
    [Id(0)] public required Tier Tier { get; init; }
    [Id(1)] public required string Provider { get; init; }
    [Id(2)] public required AllocationPart[] Parts { get; init; }

    public decimal HourlyCost => Parts.Sum(p => p.Amount * p.PricePerUnitHour);
}

[GenerateSerializer, Immutable, Alias("broker.allocation-part")]
public sealed record AllocationPart(
    [property: Id(0)] string DataCenter,
    [property: Id(1)] string Provider,
    [property: Id(2)] Tier Tier,
    [property: Id(3)] string Resource,
    [property: Id(4)] long Amount,
    [property: Id(5)] decimal PricePerUnitHour);

/// <summary>What happened with one candidate data center during negotiation: the decision trace.</summary>
[GenerateSerializer, Immutable, Alias("broker.trace-entry")]
public sealed record TraceEntry(
    [property: Id(0)] string DataCenter,
    [property: Id(1)] string Provider,
    [property: Id(2)] TraceOutcome Outcome,
    [property: Id(3)] string? Reason,
    [property: Id(4)] double? Score);

public enum TraceOutcome
{
    /// <summary>Its offer was confirmed.</summary>
    Won = 0,
    /// <summary>It could not serve and said why.</summary>
    Declined = 1,
    /// <summary>It offered, but a better offer won; its hold was cancelled.</summary>
    Outranked = 2,
    /// <summary>Its hold had ended by the time the broker confirmed.</summary>
    ConfirmFailed = 3,
    /// <summary>It offered above the request's budget.</summary>
    OverBudget = 4,
}
