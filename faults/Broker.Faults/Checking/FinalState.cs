using Broker.Faults.History;

namespace Broker.Faults.Checking;

/// <summary>
/// What the broker holds at the end, read after a whole-cluster restart: every request the history named
/// (null: the broker answers 404), every tenant's listing, the pools, the bills' charges and the audit trail.
/// </summary>
public sealed record FinalState(
    IReadOnlyDictionary<string, RequestView?> Requests,
    IReadOnlyList<string> Listed,
    IReadOnlyList<PoolView> Pools,
    IReadOnlyList<ChargeView> Charges,
    IReadOnlyList<AuditView> Audit,
    bool AuditVerified,
    DateTimeOffset ReadAt);

/// <summary>One bill entry: a part of a request charged for [From, To) in one month.</summary>
public sealed record ChargeView(string Tenant, string RequestId, string DataCenter, string Resource, long Amount, DateTimeOffset From, DateTimeOffset To, decimal PricePerUnitHour, decimal Cost);

/// <summary>One audit entry about a request.</summary>
public sealed record AuditView(string Action, string Subject, string Outcome);
