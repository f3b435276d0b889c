namespace Broker.Contracts;

/// <summary>One entry of the audit trail: who did what to which subject, when, how it came out, and its place in its hash chain.</summary>
public sealed record AuditEntryResource(
    int Chain,
    long Sequence,
    DateTimeOffset At,
    string EventId,
    string Action,
    string Actor,
    string? Credential,
    string? Tenant,
    string? Provider,
    string Subject,
    string Outcome,
    string Detail,
    string PreviousHash,
    string Hash);

/// <summary>A page of the trail, newest first; <c>next</c> is the cursor of the following (older) page, if any.</summary>
public sealed record AuditListResource(AuditEntryResource[] Items, string? Next);

/// <summary>
/// The verdict on every chain as stored. Write down each chain's <c>entries</c> and <c>headHash</c>: passed back
/// later as anchors, they reveal a chain that was rewritten consistently from some point on.
/// </summary>
public sealed record AuditVerificationResource(bool Valid, long Entries, DateTimeOffset CheckedAt, AuditChainResource[] Chains);

public sealed record AuditChainResource(int Chain, long Entries, string HeadHash, bool Valid, AuditBreakResource? Break);

/// <summary>Where a chain first fails to hold, and why (<c>hash-mismatch</c>, <c>broken-link</c>, <c>out-of-sequence</c>, …).</summary>
public sealed record AuditBreakResource(long Sequence, string Reason, string Detail);
