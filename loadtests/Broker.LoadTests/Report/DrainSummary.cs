using System.Text;
using Broker.LoadTests.Running;

namespace Broker.LoadTests.Report;

/// <summary>The drain scenario's part of <c>summary.md</c>: the drain under load and what the authorities saw of it.</summary>
public static class DrainSummary
{
    public static void Sections(StringBuilder md, DrainResult drain)
    {
        var run = drain.Run;
        Line(md, $"## Drain of {run.DataCenter} ({run.Provider}) under load");
        Line(md);
        Line(md, $"Started {run.StartedAtSeconds:0.0} s into the phase, the member data center holding the largest share of what was allocated then; at most {run.MaxMovesInFlight} moves in flight (`Broker:Drain:MaxMovesInFlight`).");
        Line(md);
        Line(md, "| | |");
        Line(md, "|---|---:|");
        Line(md, $"| allocations it held | {run.Held:N0} |");
        Line(md, $"| moved when drained | {run.Moved:N0} |");
        Line(md, $"| stuck (no room within their constraints) | {(run.StuckByReason.Count == 0 ? "0" : string.Join(", ", run.StuckByReason.Select(s => $"{s.Value} {s.Key}")))} |");
        Line(md, $"| time to drained | {(run.SecondsToDrained is { } s ? $"{s:0.00} s" : "**not drained**")} |");
        Line(md, $"| moves per second | {(run.MovesPerSecond is { } m ? $"{m:N1}" : "-")} |");
        Line(md, $"| most it held again until the end of the load | {run.MostHeldAfterDrained:N0} |");
        Line(md, $"| releases watched / of moved requests | {drain.ReleasesWatched:N0} / {drain.MovedAtRelease:N0} |");
        Line(md, $"| **requests that noticed** (not allocated, or another lease end, at their release) | **{drain.Noticed}** |");
        Line(md);
        foreach (var example in drain.NoticedExamples)
        {
            Line(md, $"- noticed: {example}");
        }

        Line(md);
    }

    private static void Line(StringBuilder md, string text = "") => md.Append(text).Append('\n');
}
