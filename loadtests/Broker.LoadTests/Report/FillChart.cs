using Broker.LoadTests.Running;
using ScottPlot;

namespace Broker.LoadTests.Report;

/// <summary>
/// <c>fill-rate.png</c>: decisions per second against the live allocations at that second, each stretch's
/// rate as a point, the line a flat fill stays above (90 % of the first stretch), and the ceiling's rate.
/// </summary>
public static class FillChart
{
    public static string Write(FillResult fill, CeilingResult? ceiling, string path, int width, int height)
    {
        var plot = new Plot();
        // The last second is partial (the loop stopped within it): left out, or it would read as a drop.
        var seconds = fill.Seconds.Where(s => s.Live > 0).SkipLast(1).ToArray();
        var perSecond = plot.Add.ScatterLine(seconds.Select(s => (double)s.Live).ToArray(), seconds.Select(s => (double)s.Decided).ToArray());
        perSecond.LegendText = "decisions in each second";
        var stretches = plot.Add.ScatterPoints(
            fill.Buckets.Select(b => (b.FromLive + b.ToLive) / 2.0).ToArray(), fill.Buckets.Select(b => b.DecisionsPerSecond).ToArray());
        stretches.LegendText = "per 5 % of the target";
        stretches.MarkerSize = 9;
        if (fill.Buckets.Count > 0)
        {
            var floor = plot.Add.HorizontalLine(fill.Buckets[0].DecisionsPerSecond * FillFigures.FlatRatio);
            floor.LinePattern = LinePattern.Dashed;
            floor.LegendText = "90 % of the first 5 %";
        }

        if (ceiling is not null)
        {
            var top = plot.Add.HorizontalLine(ceiling.DecisionsPerSecond);
            top.LinePattern = LinePattern.Dotted;
            top.LegendText = "ceiling probe: decisions/s, each released at once";
        }

        var highest = seconds.Select(s => (double)s.Decided).Concat(fill.Buckets.Select(b => b.DecisionsPerSecond)).Append(ceiling?.DecisionsPerSecond ?? 0).Max();
        plot.Axes.SetLimitsY(0, Math.Max(1, highest * 1.15));
        plot.Title($"fill: decision rate as live allocations grow to {fill.Live:N0}");
        plot.XLabel("live allocations");
        plot.YLabel("decisions per second");
        plot.ShowLegend(Alignment.LowerRight);
        plot.SavePng(path, width, height);
        return path;
    }
}
