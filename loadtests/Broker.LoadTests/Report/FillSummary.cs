using System.Text;

namespace Broker.LoadTests.Report;

/// <summary>A fill run's part of <c>summary.md</c>: what ran, the rate per stretch of live allocations, memory, the release.</summary>
public static class FillSummary
{
    public static void Header(StringBuilder md, RunResult run, FillResult fill)
    {
        Line(md, $"{run.Mode}{(run.Target is null ? "" : " against " + run.Target)}, at most {run.DurationSeconds:0} s, seed {run.Seed}, started {run.StartedAt:yyyy-MM-dd HH:mm} UTC.");
        Line(md, $"Machine: {run.Machine.Cores} cores, {run.Machine.Os}, {run.Machine.Runtime}.");
        Line(md, $"World: {run.World.Providers} providers, {run.World.DataCenters:N0} data centers, {run.World.Tenants:N0} authorities; target {fill.TargetAllocations:N0} live allocations.");
    }

    public static void Sections(StringBuilder md, FillResult fill)
    {
        Line(md, "## Fill");
        Line(md);
        Line(md, $"Closed loop, {fill.Concurrency} asks in flight, each of {fill.MinAmount}-{fill.MaxAmount} units ({fill.Templates:N0} distinct asks, cycled), every allocation kept. "
            + $"Every data center's pool of a class could take all the asks for that class (the largest pool: {fill.PoolTotalPerDataCenterLargest:N0} units), so none is turned away for capacity.");
        Line(md);
        Line(md, $"Reached **{fill.Live:N0}** of {fill.TargetAllocations:N0} live allocations in {fill.LoopSeconds:0.0} s ({fill.StoppedBecause}). "
            + $"The harness kept {fill.UnitsKept:N0} units; the broker showed {fill.UnitsAllocatedByBroker:N0} allocated.");
        Line(md);
        if (fill is { EndToStartRatio: { } ratio, EndStretch: { } end })
        {
            var last = fill.Buckets[end];
            Line(md, $"**Decision rate at the end vs the start: {last.DecisionsPerSecond:N0} vs {fill.Buckets[0].DecisionsPerSecond:N0} decisions/s, ratio {ratio:0.00}** "
                + $"({(fill.Flat == true ? "not more than 10 % below the start" : "**more than 10 % below the start**")}; the aim: at least {FillFigures.FlatRatio:0.00}"
                + (end == fill.Buckets.Count - 1 && last.Complete ? ")." : $"; the end here is stretch {end * 5}-{(end + 1) * 5} %, the last complete one reached)."));
        }
        else
        {
            Line(md, "Fewer than two stretches were reached: no end-to-start ratio.");
        }

        Line(md);
        Line(md, "| stretch | live allocations | decisions | seconds | decisions/s | p50 ms | p99 ms |");
        Line(md, "|---:|---|---:|---:|---:|---:|---:|");
        foreach (var b in fill.Buckets)
        {
            Line(md, $"| {b.Index * 5}-{(b.Index + 1) * 5} % | {b.FromLive:N0} to {b.ToLive:N0}{(b.Complete ? "" : " (cut short)")} | {b.Decisions:N0} | {b.Seconds:0.0} | {b.DecisionsPerSecond:N0} | {b.P50:0.00} | {b.P99:0.00} |");
        }

        Line(md);
        Line(md, "Latency counts from each ask's send (closed loop: a worker sends its next ask when the last came back). Decisions per second, second by second, are in `result.json` (`fill.seconds`) and `fill-rate.png`.");
        Line(md);
        Memory(md, fill);
        Release(md, fill);
    }

    private static void Memory(StringBuilder md, FillResult fill)
    {
        var m = fill.Memory;
        Line(md, "## Silo memory per live allocation");
        Line(md);
        Line(md, $"From {m.Source}.");
        Line(md);
        var settled = m.AfterSettle is not null;
        Line(md, "| | before the fill | after the fill |" + (settled ? $" {m.SettleSeconds:0} s later |" : ""));
        Line(md, "|---|---:|---:|" + (settled ? "---:|" : ""));
        Line(md, $"| managed heap | {Mb(m.Start.ManagedBytes)} | {Mb(m.End.ManagedBytes)} |" + (settled ? $" {Mb(m.AfterSettle!.ManagedBytes)} |" : ""));
        Line(md, $"| working set | {Mb(m.Start.WorkingSetBytes)} | {Mb(m.End.WorkingSetBytes)} |" + (settled ? $" {Mb(m.AfterSettle!.WorkingSetBytes)} |" : ""));
        Line(md, $"| **managed bytes per live allocation** | | **{Per(m.ManagedBytesPerAllocation)}** |" + (settled ? $" **{Per(m.ManagedBytesPerAllocationAfterSettle)}** |" : ""));
        Line(md, $"| working set bytes per live allocation | | {Per(m.WorkingSetBytesPerAllocation)} |" + (settled ? $" {Per(m.WorkingSetBytesPerAllocationAfterSettle)} |" : ""));
        Line(md);
        foreach (var note in new[] { m.Start.Note, m.End.Note, m.AfterSettle?.Note }.OfType<string>().Distinct(StringComparer.Ordinal))
        {
            Line(md, $"- {note}");
        }

        if (m.HarnessBytes > 0)
        {
            Line(md, $"- The harness's own record of the kept allocations ({Mb(m.HarnessBytes)}) shares the heap and is taken off before dividing.");
        }

        Line(md, $"- {fill.PreFillRequests:N0} requests were made and released on the same broker before the fill (warm-up, ceiling): if their grains deactivate during the fill, the figure comes out a little low.");
        Line(md, settled
            ? $"- Request grains are expected to deactivate a while after deciding (the broker's setting): the last column is read {m.SettleSeconds:0} s after the fill, allocations still kept."
            : "- Read right after the fill; request grains are expected to deactivate a while after deciding (the broker's setting): `--settle-seconds` reads once more later.");
        Line(md);
    }

    private static void Release(StringBuilder md, FillResult fill)
    {
        Line(md, "## Release");
        Line(md);
        Line(md, fill.Release is { } r
            ? $"{r.Released:N0} of {r.Kept:N0} released in {r.Seconds:0.0} s ({r.ReleasesPerSecond:N0}/s), {r.Failed:N0} not released, {r.NotAttempted:N0} not attempted (time limit); "
                + $"{r.UnitsAllocatedAfter:N0} units still allocated afterwards."
            : $"Not released (`--no-release`): {fill.Live:N0} allocations ({fill.UnitsKept:N0} units) stay in the broker until their lease ends.");
        Line(md);
    }

    private static string Mb(long? bytes) => bytes is { } b ? $"{b / 1048576.0:N1} MiB" : "not available";

    private static string Per(double? bytes) => bytes is { } b ? $"{b:N0} B" : "not available";

    private static void Line(StringBuilder md, string text = "") => md.Append(text).Append('\n');
}
