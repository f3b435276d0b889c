using System.Diagnostics;
using Broker.LoadTests.Demand;
using Broker.LoadTests.Targets;
using Broker.Reservations;
using Broker.Silo.Api;

namespace Broker.LoadTests.Running;

/// <summary>
/// The election state's spike booked ahead: every spike ask of the plan becomes a reservation of its own for the
/// window it would have held capacity in — [phase start + its due time, + its hold) — all booked before the phase
/// starts, <see cref="Parallelism"/> at a time, each decided at once. After the phase, what became of each is read
/// back: a confirmed reservation must have turned into an allocation at its start by itself.
/// </summary>
public sealed class SpikeBooking(InProcessTarget target, IReadOnlyList<Arrival> spike, string nonce)
{
    public const int Parallelism = 32;

    private readonly string[] _ids = spike.Select(a => RequestIds.ReservationFromIdempotencyKey(a.Tenant.Id, $"{nonce}-spike-{a.Index}")).ToArray();

    public async Task<BookingPass> BookAsync(DateTimeOffset phaseStart, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var outcomes = new ReservationSnapshot?[spike.Count];
        var failed = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, spike.Count), new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (i, _) =>
        {
            var arrival = spike[i];
            var start = phaseStart + arrival.At;
            // The window is what the ask would hold as it comes — from its due time for its hold — so both phases ask for the same capacity-time.
            var end = start + arrival.Hold;
            var command = new ReserveCommand(arrival.Tenant.Id, arrival.Tenant.HomeProvider, InProcessTarget.ToSpec(arrival, isolated: false, end - start), start, end, InProcessTarget.ActorOf(arrival));
            try
            {
                outcomes[i] = (await target.Grains.Reference<IReservationGrain>(_ids[i]).CreateAsync(command)).Reservation;
            }
            catch (Exception e) when (e is TimeoutException or OrleansException)
            {
                Interlocked.Increment(ref failed);
            }
        });

        var confirmed = outcomes.Where(o => o?.State == ReservationState.Confirmed).ToArray();
        return new BookingPass(
            spike.Count,
            confirmed.Length,
            Count(confirmed.Select(o => Contracts.ApiEnums.Kebab(o!.Allocation!.Tier))),
            Count(outcomes.Where(o => o?.State == ReservationState.Rejected).Select(o => Contracts.ApiEnums.Kebab(o!.Reason!.Code))),
            failed,
            Math.Round(clock.Elapsed.TotalSeconds, 2));
    }

    /// <summary>After every window ended: how many reservations became their allocation at start (active or ended by now), and how many confirmed ones did not.</summary>
    public async Task<(int Converted, int NotConverted)> ConversionsAsync(CancellationToken cancellationToken)
    {
        var converted = 0;
        var missed = 0;
        await Parallel.ForEachAsync(_ids, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (id, _) =>
        {
            var snapshot = await target.Grains.Reference<IReservationGrain>(id).GetAsync();
            if (snapshot is { State: ReservationState.Active or ReservationState.Ended, Request: not null })
            {
                Interlocked.Increment(ref converted);
            }
            else if (snapshot is { State: ReservationState.Confirmed })
            {
                Interlocked.Increment(ref missed);
            }
        });
        return (converted, missed);
    }

    private static IReadOnlyDictionary<string, int> Count(IEnumerable<string> keys) =>
        new SortedDictionary<string, int>(keys.GroupBy(k => k).ToDictionary(g => g.Key, g => g.Count()), StringComparer.Ordinal);
}

/// <summary>What the booking pass got: confirmed (by tier), rejected (by code), calls that failed, and how long it took.</summary>
public sealed record BookingPass(int Asked, int Confirmed, IReadOnlyDictionary<string, int> ConfirmedByTier, IReadOnlyDictionary<string, int> RejectedByCode, int Failed, double Seconds);
