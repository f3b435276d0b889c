using Broker.Requests;

namespace Broker.Grains.Negotiation;

/// <summary>How a negotiation ended: an allocation or a rejection, with the trace of who was asked.</summary>
internal sealed record NegotiationOutcome(Allocation? Allocation, Rejection? Rejection, TraceEntry[] Trace, DateTimeOffset LeaseExpiresAt);
