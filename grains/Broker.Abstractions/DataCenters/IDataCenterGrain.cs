using Broker.Federation;
using Broker.Requests;
using Orleans.Concurrency;

namespace Broker.DataCenters;

/// <summary>
/// The single source of truth for one data center's capacity. Grants short holds, turns them into
/// durable allocations, releases them, and never gives out more than a pool may:
/// <c>allocated + held + headroom ≤ total × ratio</c> for normal requests (high ones may use the headroom).
/// </summary>
[Alias("broker.IDataCenterGrain")]
public interface IDataCenterGrain : IGrainWithStringKey
{
    /// <summary>Upserts the data center's attributes and pools; allocations are kept whatever the file says.</summary>
    [Alias("ConfigureAsync")]
    Task ConfigureAsync(DataCenterRegistration registration);

    /// <summary>Places a hold for the items and answers with an offer, or declines with a reason.</summary>
    [Alias("OfferAsync")]
    Task<OfferResult> OfferAsync(HoldRequest request);

    /// <summary>
    /// Turns a hold into an allocation, durably, before answering. False if the hold has ended, or another negotiation
    /// of the request (<paramref name="attempt"/> names this one) holds an allocation here.
    /// </summary>
    [Alias("ConfirmAsync")]
    Task<bool> ConfirmAsync(Guid holdId, string requestId, Guid attempt, DateTimeOffset leaseExpiresAt);

    /// <summary>
    /// Hold and confirm in one turn, durable before it answers: for a request whose directory shows this data center
    /// clearly fits, so that a decision costs one call here instead of an offer round. The offer describes what was
    /// allocated (its hold id is empty); a decline says why, and nothing is held then.
    /// </summary>
    [Alias("AllocateAsync")]
    Task<OfferResult> AllocateAsync(HoldRequest request, DateTimeOffset leaseExpiresAt);

    /// <summary>The request has durably recorded its allocation here as its decision; one-way, stored with the next write.</summary>
    [OneWay, Alias("AcknowledgeAsync")]
    Task AcknowledgeAsync(string requestId);

    /// <summary>Gives a hold's capacity back; one-way, the loser of a round never waits for it.</summary>
    [OneWay, Alias("CancelHoldAsync")]
    Task CancelHoldAsync(Guid holdId);

    /// <summary>Gives an allocation's capacity back; releasing what is not there is a no-op.</summary>
    [Alias("ReleaseAsync")]
    Task ReleaseAsync(string requestId);

    /// <summary>
    /// A negotiation gives back what it confirmed here and will not decide on; a no-op when the allocation here is
    /// another negotiation's of the same request (it is not this one's to give back).
    /// </summary>
    [Alias("AbandonAsync")]
    Task AbandonAsync(string requestId, Guid attempt);

    /// <summary>
    /// Moves an allocation's lease end. False if there is no such allocation (any more), or if the longer lease would
    /// take capacity reserved for a window ahead (<see cref="ExtendLeaseAsync"/> tells the two apart).
    /// </summary>
    [Alias("RenewAsync")]
    Task<bool> RenewAsync(string requestId, DateTimeOffset leaseExpiresAt);

    /// <summary>Moves an allocation's lease end, unless it is not held here or the longer lease would take reserved capacity.</summary>
    [Alias("ExtendLeaseAsync")]
    Task<LeaseExtension> ExtendLeaseAsync(string requestId, DateTimeOffset leaseExpiresAt);

    /// <summary>
    /// Books capacity for a future window [start, end) in this data center's time-aware book, durably before it answers
    /// (unacknowledged until the reservation has stored its decision): an offer describing it (empty hold id), or a decline.
    /// </summary>
    [Alias("ReserveAsync")]
    Task<OfferResult> ReserveAsync(ReservationAsk ask);

    /// <summary>
    /// Turns the reservation into its request's allocation if its start has come (the schedule does this by itself; this
    /// makes sure). True when the request's allocation is held here now.
    /// </summary>
    [Alias("StartReservationAsync")]
    Task<bool> StartReservationAsync(string reservationId);

    /// <summary>Changes (or adds) one pool; refuses to shrink below what is allocated and held.</summary>
    [Alias("SetPoolAsync")]
    Task<PoolChangeResult> SetPoolAsync(PoolChange change);

    /// <summary>The data center's current capacity, per pool.</summary>
    [Alias("GetCapacityAsync")]
    Task<DataCenterSummary?> GetCapacityAsync();

    /// <summary>
    /// Tells the data center whether it is draining (its drain grain does, durably): while draining it takes no new
    /// holds or allocations, and shows so in the directory. Idempotent.
    /// </summary>
    [Alias("SetDrainingAsync")]
    Task SetDrainingAsync(bool draining);

    /// <summary>The requests whose allocations are live here: what a drain has to move. One pass over this data center's own allocations.</summary>
    [Alias("AllocationsToMoveAsync")]
    Task<string[]> AllocationsToMoveAsync();

    /// <summary>
    /// Gives back the allocation of a request that a drain moved elsewhere, counted among the drain's moves in the same
    /// write (so the count is exact across crashes); releasing what is not there is a no-op and counts nothing.
    /// </summary>
    [Alias("ReleaseMovedAsync")]
    Task ReleaseMovedAsync(string requestId);

    /// <summary>How many allocations are live here and were moved away since the drain began, and which of <paramref name="asked"/> hold one.</summary>
    [Alias("DrainProgressAsync")]
    Task<DrainProgress> DrainProgressAsync(string[] asked);
}

/// <summary>A data center as the federation file describes it, with its owner.</summary>
[GenerateSerializer, Immutable, Alias("broker.data-center-registration")]
public sealed record DataCenterRegistration(
    [property: Id(0)] string ProviderId,
    [property: Id(1)] Domain.ProviderKind ProviderKind,
    [property: Id(2)] DataCenterDefinition Definition);

/// <summary>What a request asks one data center to hold.</summary>
[GenerateSerializer, Immutable, Alias("broker.hold-request")]
public sealed record HoldRequest
{
    [Id(0)] public required string RequestId { get; init; }
    [Id(1)] public required RequestItem[] Items { get; init; }
    [Id(2)] public Domain.Priority Priority { get; init; }
    /// <summary>Storage items may be held in part (what is free, in whole steps) for a splittable request.</summary>
    [Id(3)] public bool AllowPartialStorage { get; init; }

    /// <summary>Which negotiation of the request asks: what it confirms is its own, to keep or give back.</summary>
    [Id(4)] public Guid Attempt { get; init; }

    /// <summary>
    /// Until when the capacity would be held (the lease end the negotiation will confirm): checked against the windows
    /// reserved ahead. None: to the end of every reservation.
    /// </summary>
    [Id(5)] public DateTimeOffset? Until { get; init; }
}

/// <summary>A reservation's booking at one data center: its items for the window [start, end).</summary>
[GenerateSerializer, Immutable, Alias("broker.reservation-ask")]
public sealed record ReservationAsk
{
    [Id(0)] public required string ReservationId { get; init; }
    [Id(1)] public required RequestItem[] Items { get; init; }
    [Id(2)] public Domain.Priority Priority { get; init; }
    [Id(3)] public required DateTimeOffset Start { get; init; }
    [Id(4)] public required DateTimeOffset End { get; init; }
    [Id(5)] public Guid Attempt { get; init; }
}

public enum LeaseExtension
{
    Extended = 0,
    /// <summary>No such allocation here (any more): its lease ended first.</summary>
    NotHeld = 1,
    /// <summary>The longer lease would overlap a reserved window that has no room for it; the lease stays as it was.</summary>
    CapacityReserved = 2,
}

/// <summary>An offer (with its hold) or a refusal with a reason.</summary>
[GenerateSerializer, Immutable, Alias("broker.offer-result")]
public sealed record OfferResult([property: Id(0)] Offer? Offer, [property: Id(1)] string? DeclineReason)
{
    public static OfferResult Declined(string reason) => new(null, reason);
}

[GenerateSerializer, Immutable, Alias("broker.offer")]
public sealed record Offer
{
    [Id(0)] public required Guid HoldId { get; init; }
    [Id(1)] public required string DataCenter { get; init; }
    [Id(2)] public required string Provider { get; init; }
    [Id(3)] public required RequestItem[] Held { get; init; }
    /// <summary>Price per unit-hour for each held item, in the same order.</summary>
    [Id(4)] public required decimal[] PricesPerUnitHour { get; init; }
    /// <summary>The most utilised of the touched pools after this hold, 0..1: the balance term of the ranking.</summary>
    [Id(5)] public required double UtilisationAfter { get; init; }
    [Id(6)] public required double RenewableShare { get; init; }
    [Id(7)] public required string Location { get; init; }
    [Id(8)] public required DateTimeOffset HoldExpiresAt { get; init; }

    public decimal HourlyCost => Held.Select((item, i) => item.Amount * PricesPerUnitHour[i]).Sum();
}

/// <summary>A provider admin's change to one pool; absent values stay as they are. <see cref="By"/> is named in the audit trail.</summary>
[GenerateSerializer, Immutable, Alias("broker.pool-change")]
public sealed record PoolChange(
    [property: Id(0)] string Resource,
    [property: Id(1)] long Total,
    [property: Id(2)] long? Headroom,
    [property: Id(3)] decimal? PricePerUnitHour,
    [property: Id(4)] Broker.Audit.AuditActor? By = null);

public enum PoolChangeKind
{
    Updated = 0,
    Created = 1,
    /// <summary>The data center is not registered.</summary>
    UnknownDataCenter = 2,
    /// <summary>The new size is below what is allocated and held now.</summary>
    InUse = 3,
}

[GenerateSerializer, Immutable, Alias("broker.pool-change-result")]
public sealed record PoolChangeResult(
    [property: Id(0)] PoolChangeKind Kind,
    [property: Id(1)] PoolSummary? Pool,
    [property: Id(2)] long InUse = 0);
