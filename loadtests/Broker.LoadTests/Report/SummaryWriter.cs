using System.Globalization;
using System.Text;
using Broker.LoadTests.Running;

namespace Broker.LoadTests.Report;

/// <summary>The run as a page people read: what ran, the phases side by side, latency, the ceiling, the invariants.</summary>
public static class SummaryWriter
{
    public static string Write(RunResult run)
    {
        // Figures read the same wherever the harness runs: 1,234.5, not 1.234,5.
        var culture = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        try
        {
            return Compose(run);
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }

    private static string Compose(RunResult run)
    {
        var md = new StringBuilder();
        Line(md, $"# Load test: {run.Scenario}");
        Line(md);
        if (run.Fill is { } fill)
        {
            FillSummary.Header(md, run, fill);
        }
        else
        {
            Line(md, $"{run.Mode}{(run.Target is null ? "" : " against " + run.Target)}, {run.DurationSeconds:0} s at {run.Rate:0} requests/s base rate, seed {run.Seed}, started {run.StartedAt:yyyy-MM-dd HH:mm} UTC.");
            Line(md, $"Machine: {run.Machine.Cores} cores, {run.Machine.Os}, {run.Machine.Runtime}.");
            Line(md, $"World: {run.World.Providers} providers, {run.World.DataCenters} data centers, {run.World.Tenants} authorities; {run.World.PlannedRequests:N0} requests planned per phase."
                + (run.SpikeState is null ? "" : $" Election night in {run.SpikeState}: its authorities at 20x from 30 % to 70 % of the run.")
                + (run.Drain is null ? "" : $" Allocations held {Demand.Scenarios.DrainHoldScale:0}x as long as usual (mean {Demand.Scenarios.DrainHoldScale * World.ResourceMix.MeanHoldSeconds:0} s), pools sized for it.")
                + (run.Keep ? " Allocations kept to the end of each phase (`--keep`)." : ""));
        }

        Line(md);
        Line(md, "## Served");
        Line(md);
        Line(md, "| | " + string.Join(" | ", run.Phases.Select(p => p.Name)) + " |");
        Line(md, "|---|" + string.Concat(run.Phases.Select(_ => "---:|")));
        Row(md, run, "requests sent", p => $"{p.Sent:N0}");
        Row(md, run, "allocated (share served)", p => $"{p.Allocated:N0} ({p.ServedShare:P1})");
        foreach (var tier in new[] { "home", "federation", "partner" })
        {
            Row(md, run, $"- at tier {tier}", p => $"{p.AllocatedByTier.GetValueOrDefault(tier):N0}");
        }

        foreach (var code in run.Phases.SelectMany(p => p.Rejected.Keys).Distinct().Order(StringComparer.Ordinal))
        {
            Row(md, run, $"rejected: {code}", p => $"{p.Rejected.GetValueOrDefault(code):N0}");
        }

        foreach (var code in run.Phases.SelectMany(p => p.Failed.Keys).Distinct().Order(StringComparer.Ordinal))
        {
            Row(md, run, $"failed: {code}", p => $"{p.Failed.GetValueOrDefault(code):N0}");
        }

        Row(md, run, "dropped by the harness", p => $"{p.Dropped:N0}");
        Row(md, run, "decisions/s (achieved)", p => $"{p.DecisionsPerSecond:N1}");
        Row(md, run, "latency p50 / p95 / p99 ms", p => $"{p.Latency.P50:0.0} / {p.Latency.P95:0.0} / {p.Latency.P99:0.0}");
        Row(md, run, "latency p99.9 / max ms", p => $"{p.Latency.P999:0.0} / {p.Latency.Max:0.0}");
        if (run.Phases.Any(p => p.Burst is not null))
        {
            Row(md, run, "storage bursts allocated", p => p.Burst is null ? "" : $"{p.Burst.Allocated} of {p.Burst.Sent}, {p.Burst.MeanParts:0.#} data centers each");
        }

        Row(md, run, "failed calls asked again: allocated / rejected / unresolved", p => $"{p.Resolution.Allocated} / {p.Resolution.Rejected} / {p.Resolution.Unresolved}");
        Line(md);
        if (run.Fill is { } filled)
        {
            Line(md);
            FillSummary.Sections(md, filled);
        }
        else
        {
            Line(md, "Latency counts from each request's planned send time (open model), so queueing in the harness or the broker is included.");
            Line(md);
        }

        if (run.Booking is { } booking)
        {
            ElectionSummary.Sections(md, run, booking);
        }

        if (run.Drain is { } drain)
        {
            DrainSummary.Sections(md, drain);
        }

        Line(md, "## Invariants");
        Line(md);
        foreach (var phase in run.Phases)
        {
            var i = phase.Invariants;
            Line(md, $"- {phase.Name}: {(i.Hold ? "hold" : "**VIOLATED**")} — {i.Served:N0} requests served, {i.CapacitySamples} capacity samples ({i.FailedCapacitySamples} failed), {i.OvercommittedPoolSamples} overcommitted pools seen, "
                + $"{i.UnresolvedRequests} requests not terminal, "
                + (i.Released ? $"{i.AllocatedAfterCleanup:N0} units still allocated after the harness released everything." : $"{i.AllocatedAfterCleanup:N0} units left allocated on purpose (`--no-release`)."));
        }

        foreach (var e in run.Phases.SelectMany(p => p.Events.Select(e => (p.Name, e))))
        {
            Line(md, $"- {e.Name}: at {e.e.AtSeconds:0.0} s {e.e.What}");
        }

        if (run.Ceiling is { } c)
        {
            Line(md);
            Line(md, "## Ceiling");
            Line(md);
            Line(md, $"Closed loop, {c.Workers} workers, {c.Seconds:0} s each{(run.Fill is null ? "" : ", with the fill's asks on the empty federation before the fill")}: **{c.DecisionsPerSecond:N0} decisions/s** (each allocation released again at once) "
                + $"vs **{c.TrivialCallsPerSecond:N0} {c.TrivialCall}/s** on the same path: a decision costs about {c.DecisionCostInTrivialCalls:0.#} trivial calls.");
        }

        Line(md);
        Line(md, "Charts: `throughput.png`, `latency.png`, `utilisation.png` (first phase)"
            + string.Concat(run.Phases.Skip(1).Select(p => $", `utilisation-{p.Name}.png`")) + (run.Fill is null ? "." : ", `fill-rate.png` (decisions/s against live allocations)."));
        return md.ToString();
    }

    private static void Row(StringBuilder md, RunResult run, string label, Func<PhaseResult, string> value) =>
        Line(md, $"| {label} | " + string.Join(" | ", run.Phases.Select(value)) + " |");

    private static void Line(StringBuilder md, string text = "") => md.Append(text).Append('\n');
}
