using Broker.Contracts;
using Broker.Requests;

namespace Broker.Silo.Api;

/// <summary>
/// A request grain's snapshot as the wire shows it. The contract records cannot know the grains' types, so their
/// <c>From</c> lives here, as static extensions: the API's code still reads <c>RequestResource.From(snapshot)</c>.
/// </summary>
public static class RequestMapping
{
    extension(RequestResource)
    {
        public static RequestResource From(RequestSnapshot s) => new(
            s.Id,
            s.Tenant,
            s.State.ToWire(),
            ReasonResource.From(s.Reason),
            s.Allocation is null ? null : AllocationResource.From(s.Allocation),
            s.LeaseExpiresAt,
            s.CreatedAt,
            s.DecidedAt,
            s.EndedAt,
            s.Trace.Select(TraceResource.From).ToArray(),
            SpecResource.From(s.Spec),
            s.Moves.Select(m => new MoveResource(m.At, m.From, m.To)).ToArray());
    }

    extension(ReasonResource)
    {
        /// <summary>Why a request or a reservation was rejected, or null when it was not.</summary>
        public static ReasonResource? From(Rejection? r) => r is null ? null : new ReasonResource(r.Code.ToWire(), r.Detail);
    }

    extension(TraceResource)
    {
        public static TraceResource From(TraceEntry t) => new(t.DataCenter, t.Provider, t.Outcome.ToWire(), t.Reason, t.Score);
    }

    extension(AllocationResource)
    {
        public static AllocationResource From(Allocation a) => new(
            a.Tier.ToWire(),
            a.Provider,
            a.Parts.Select(p => new PartResource(p.DataCenter, p.Provider, p.Tier.ToWire(), p.Resource, p.Amount, p.PricePerUnitHour)).ToArray(),
            a.HourlyCost);
    }

    extension(SpecResource)
    {
        public static SpecResource From(RequestSpec spec) => new(
            spec.Items.Select(i => new ItemResource(i.Resource, i.Amount)).ToArray(),
            new ConstraintsResource(
                spec.Constraints.ProtectionLevel.ToWire(),
                spec.Constraints.Residency,
                new ProvidersResource(spec.Constraints.AllowProviders, spec.Constraints.DenyProviders),
                spec.Constraints.MembersOnly,
                spec.Constraints.MaxHourlyCost),
            Iso8601Duration.Format(spec.Lease),
            spec.Priority.ToWire(),
            spec.Splittable);
    }
}
