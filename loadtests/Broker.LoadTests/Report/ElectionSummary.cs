using System.Text;
using Broker.LoadTests.Running;

namespace Broker.LoadTests.Report;

/// <summary>election-booked's part of <c>summary.md</c>: the spike and everyone else, as it comes and booked ahead.</summary>
public static class ElectionSummary
{
    public static void Sections(StringBuilder md, RunResult run, SpikeBookingResult booking)
    {
        var asItComes = run.Phases[0].Election!;
        var bookedAhead = run.Phases[1].Election!;
        var pass = booking.Pass;
        Line(md, $"## Election night in {run.SpikeState}: as it comes vs booked ahead");
        Line(md);
        Line(md, "| | as it comes | booked ahead |");
        Line(md, "|---|---:|---:|");
        Line(md, $"| spike asks | {asItComes.SpikeAsked:N0} | {pass.Asked:N0} |");
        Line(md, $"| spike served | {asItComes.SpikeServed:N0} ({Share(asItComes.SpikeServed, asItComes.SpikeAsked)}) | {pass.Confirmed:N0} ({Share(pass.Confirmed, pass.Asked)}) |");
        foreach (var tier in new[] { "home", "federation", "partner" })
        {
            Line(md, $"| - at tier {tier} | {asItComes.SpikeByTier.GetValueOrDefault(tier):N0} | {pass.ConfirmedByTier.GetValueOrDefault(tier):N0} |");
        }

        Line(md, $"| everyone else's asks served | {asItComes.OrdinaryServed:N0} of {asItComes.OrdinaryAsked:N0} ({Share(asItComes.OrdinaryServed, asItComes.OrdinaryAsked)}) "
            + $"| {bookedAhead.OrdinaryServed:N0} of {bookedAhead.OrdinaryAsked:N0} ({Share(bookedAhead.OrdinaryServed, bookedAhead.OrdinaryAsked)}) |");
        Line(md, $"| - due during the spike | {asItComes.OrdinaryInWindowServed:N0} of {asItComes.OrdinaryInWindowAsked:N0} ({Share(asItComes.OrdinaryInWindowServed, asItComes.OrdinaryInWindowAsked)}) "
            + $"| {bookedAhead.OrdinaryInWindowServed:N0} of {bookedAhead.OrdinaryInWindowAsked:N0} ({Share(bookedAhead.OrdinaryInWindowServed, bookedAhead.OrdinaryInWindowAsked)}) |");
        Line(md);
        Line(md, $"Booked ahead: each spike ask a reservation of its own for the window it would hold capacity in, {SpikeBooking.Parallelism} bookings at a time, "
            + $"{pass.Asked:N0} decided in {pass.Seconds:0.00} s ({pass.Asked / Math.Max(pass.Seconds, 0.001):N0}/s), {booking.LeadSeconds:0.0} s before the phase; "
            + $"rejected: {(pass.RejectedByCode.Count == 0 ? "none" : string.Join(", ", pass.RejectedByCode.Select(r => $"{r.Value:N0} {r.Key}")))}; {pass.Failed} calls failed. "
            + $"**{booking.Converted:N0} of {pass.Confirmed:N0} confirmed reservations became their allocation at start by themselves** ({booking.ConfirmedNotConverted} still only confirmed after their window).");
        Line(md, "Every ask in both phases leases what it holds (its hold, in whole seconds, plus one): reserved capacity is refused to an allocation whose lease overlaps the reserved window.");
        Line(md);
    }

    private static string Share(int part, int whole) => whole == 0 ? "-" : $"{(double)part / whole:P1}";

    private static void Line(StringBuilder md, string text = "") => md.Append(text).Append('\n');
}
