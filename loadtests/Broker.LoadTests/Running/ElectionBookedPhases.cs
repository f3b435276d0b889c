using Broker.LoadTests.Demand;
using Broker.LoadTests.Targets;
using Broker.LoadTests.World;

namespace Broker.LoadTests.Running;

/// <summary>
/// election-booked: the same election night twice on a fresh broker each. As it comes: every ask a request at its
/// time. Booked ahead: the election state's spike asks are booked as reservations before the phase (each for the
/// window it would hold capacity in), and the phase runs everyone else's asks; the broker turns each confirmed
/// reservation into an allocation at its start by itself. The comparison: how much of the spike was served, at which
/// tier, and what everyone else's asks lost.
/// </summary>
public sealed class ElectionBookedPhases(InProcessTarget target, LoadWorld world, DemandPlan plan, TextWriter progress)
{
    /// <summary>
    /// Booking must be over before the phase starts: the lead is set from this rate (measured on two cores: about
    /// 3,500 bookings/s, 32 at a time), and a booking pass that takes longer stops the run rather than overlap the phase.
    /// </summary>
    private const double AssumedBookingsPerSecond = 1_000;

    public async Task<(IReadOnlyList<PhaseResult> Phases, SpikeBookingResult Booking)> RunAsync(CancellationToken cancellationToken)
    {
        await target.PrepareAsync(world, cancellationToken);
        var asItComes = await new PhaseRunner(target, world, plan, progress).RunAsync("as-it-comes", isolated: false, cancellationToken);

        await target.PrepareAsync(world, cancellationToken);
        var spike = plan.Arrivals.Where(a => a.IsSpike).ToArray();
        var lead = TimeSpan.FromSeconds(3 + (spike.Length / AssumedBookingsPerSecond));
        var phaseStart = DateTimeOffset.UtcNow + lead;
        var booking = new SpikeBooking(target, spike, Guid.NewGuid().ToString("N")[..12]);
        progress.WriteLine($"[booked-ahead] booking {spike.Length:N0} reservations for the spike in {plan.SpikeState}, the phase starts in {lead.TotalSeconds:0.0} s");
        var pass = await booking.BookAsync(phaseStart, cancellationToken);
        var wait = phaseStart - DateTimeOffset.UtcNow;
        if (wait < TimeSpan.Zero)
        {
            throw new InvalidOperationException($"booking {pass.Asked:N0} reservations took {pass.Seconds:0.0} s, longer than the lead of {lead.TotalSeconds:0.0} s: the spike was not booked ahead of the phase");
        }

        progress.WriteLine($"[booked-ahead] {pass.Confirmed:N0} of {pass.Asked:N0} confirmed in {pass.Seconds:0.00} s; the phase starts at the planned time");
        await Task.Delay(wait, cancellationToken);
        var bookedAhead = await new PhaseRunner(target, world, plan.WithoutSpike(), progress).RunAsync("booked-ahead", isolated: false, cancellationToken);
        var (converted, notConverted) = await booking.ConversionsAsync(cancellationToken);
        return ([asItComes, bookedAhead], new SpikeBookingResult(pass, lead.TotalSeconds, converted, notConverted));
    }
}

/// <summary>The booked-ahead phase's reservations: the booking pass, its lead on the phase, and how many confirmed reservations turned into allocations at their start.</summary>
public sealed record SpikeBookingResult(BookingPass Pass, double LeadSeconds, int Converted, int ConfirmedNotConverted);
