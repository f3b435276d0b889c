using Broker.Domain;
using Broker.Requests;

namespace Broker.Grains.Requests;

/// <summary>
/// A confirm the request is about to send, written down first (an intent log): if the silo dies between
/// the data center's durable confirm and the request's decision, the next activation asks that data
/// center again (confirms are idempotent per negotiation: <see cref="Attempt"/>) instead of leaving an allocation nobody
/// knows of.
/// </summary>
[GenerateSerializer, Immutable, Alias("broker.pending-confirm")]
public sealed record PendingConfirm(
    [property: Id(0)] string DataCenter,
    [property: Id(1)] Guid HoldId,
    [property: Id(2)] AllocationPart[] Parts,
    [property: Id(3)] Tier Tier,
    [property: Id(4)] string Provider,
    [property: Id(5)] DateTimeOffset LeaseExpiresAt,
    [property: Id(6)] Guid Attempt);
