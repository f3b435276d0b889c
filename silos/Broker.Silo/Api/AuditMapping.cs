using Broker.Audit;
using Broker.Contracts;

namespace Broker.Silo.Api;

/// <summary>Audit entries and chain verdicts as the wire shows them (static extensions, as in <see cref="RequestMapping"/>).</summary>
public static class AuditMapping
{
    extension(AuditEntryResource)
    {
        public static AuditEntryResource From(AuditEntry entry)
        {
            var e = entry.Event;
            return new(entry.Chain, entry.Sequence, entry.At, e.EventId, e.Action, e.Actor, e.Credential, e.Tenant, e.Provider, e.Subject, e.Outcome, e.Detail, entry.PreviousHash, entry.Hash);
        }
    }

    extension(AuditChainResource)
    {
        public static AuditChainResource From(AuditChainVerdict verdict) => new(
            verdict.Chain, verdict.Entries, verdict.HeadHash, verdict.Break is null,
            verdict.Break is { } broken ? new AuditBreakResource(broken.Sequence, broken.Reason, broken.Detail) : null);
    }
}
