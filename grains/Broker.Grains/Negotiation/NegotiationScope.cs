namespace Broker.Grains.Negotiation;

/// <summary>
/// What a negotiation for a move is held to beyond the request's own constraints: the data centers the request is in
/// already are not candidates (the one being drained, and for a split request those holding its other parts), and the
/// new place gets the lease end the request has, not a fresh one.
/// </summary>
internal sealed record NegotiationScope(IReadOnlySet<string> Excluded, DateTimeOffset LeaseExpiresAt);
