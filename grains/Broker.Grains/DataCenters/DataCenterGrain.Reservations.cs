using Broker.DataCenters;
using Broker.Requests;
using Broker.Reservations;
using Microsoft.Extensions.Logging;

namespace Broker.Grains.DataCenters;

/// <summary>
/// Reservations at a data center: booked in its time-aware book (a row of their own, durable before the answer,
/// unacknowledged until the reservation stored its decision), started by its own schedule — the booking becomes the
/// reservation's request's allocation in one write, and the reservation is told — and asked about like allocations
/// when nobody acknowledged them, of the reservation rather than of a request that may not be recorded yet.
/// </summary>
public sealed partial class DataCenterGrain
{
    public async Task<OfferResult> ReserveAsync(ReservationAsk ask)
    {
        if (Registration is not { } registration)
        {
            return OfferResult.Declined(DeclineReasons.NotRegistered);
        }

        if (_head.Draining)
        {
            return OfferResult.Declined(DeclineReasons.Draining);
        }

        Purge(time.GetUtcNow());
        var (booked, reason) = _book.TryReserve(ask);
        if (booked is null)
        {
            return OfferResult.Declined(reason!);
        }

        // Durable before the answer, as a confirm; the schedule wakes this data center at the start, the reminder after a restart.
        await _commit.CommitAsync();
        WakeUpBy(ask.Start);
        await ArmScheduleAsync();
        return new OfferResult(Describe(registration, Guid.Empty, booked.Items, ask.End), null);
    }

    public async Task<bool> StartReservationAsync(string reservationId)
    {
        Purge(time.GetUtcNow());
        if (!_book.Holds(ReservationIds.RequestOf(reservationId)))
        {
            return false;
        }

        // The start is durable before the request is recorded on it (a write that begins now carries it, if no earlier one did).
        await _commit.CommitAsync();
        return true;
    }

    /// <summary>Whom to ask about an unacknowledged row: a reservation's booking or start is its reservation's to claim.</summary>
    private Task<AllocationClaim> ClaimOfAsync(string key) =>
        _book.ReservationOf(key) is { } reservation
            ? GrainFactory.Reference<IReservationGrain>(reservation).ClaimsAllocationAsync(Id, started: !ReservationIds.IsReservation(key))
            : GrainFactory.Reference<IRequestGrain>(key).ClaimsAllocationAsync(Id);

    /// <summary>Reservations that started: once the start is written, each reservation is told, one-way (the check asks again if that is lost).</summary>
    private void NotifyStarted()
    {
        var started = _book.TakeStarted();
        if (started.Count > 0)
        {
            RequestPublish();
            _ = NotifyStartedAsync(started);
        }
    }

    private async Task NotifyStartedAsync(IReadOnlyList<(string Reservation, string Request)> started)
    {
        try
        {
            await _commit.CommitAsync();
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            // This activation steps down; the next one starts these again from the stored bookings.
            return;
        }

        LogReservationsStarted(Id, started.Count);
        foreach (var (reservation, _) in started)
        {
            GrainFactory.Reference<IReservationGrain>(reservation).StartedAsync(Id).Ignore();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} reservations started at {DataCenter}")]
    private partial void LogReservationsStarted(string dataCenter, int count);
}
