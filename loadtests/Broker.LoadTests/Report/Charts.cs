using Broker.LoadTests.Running;
using ScottPlot;

namespace Broker.LoadTests.Report;

/// <summary>The run drawn over time: throughput of every phase, latency percentiles and utilisation per provider; a fill's rate against live allocations.</summary>
public static class Charts
{
    private const int Width = 1000;
    private const int Height = 500;

    public static IReadOnlyList<string> Write(RunResult run, string directory)
    {
        var files = new List<string> { Throughput(run, directory) };
        if (run.Phases.Count > 0)
        {
            files.Add(Latency(run.Phases[0], directory));
            files.AddRange(run.Phases.Select((phase, i) => Utilisation(phase, directory, i == 0 ? "utilisation.png" : $"utilisation-{phase.Name}.png")));
        }

        if (run.Fill is { } fill)
        {
            files.Add(FillChart.Write(fill, run.Ceiling, Path.Combine(directory, "fill-rate.png"), Width, Height));
        }

        return files;
    }

    private static string Throughput(RunResult run, string directory)
    {
        var plot = new Plot();
        foreach (var phase in run.Phases)
        {
            var seconds = phase.Timeline.Select(s => (double)s.Second).ToArray();
            plot.Add.ScatterLine(seconds, phase.Timeline.Select(s => (double)s.Decided).ToArray()).LegendText = $"{phase.Name}: decided/s";
            plot.Add.ScatterLine(seconds, phase.Timeline.Select(s => (double)s.Allocated).ToArray()).LegendText = $"{phase.Name}: allocated/s";
        }

        if (run.Phases.Count > 0)
        {
            var first = run.Phases[0];
            var due = plot.Add.ScatterLine(first.Timeline.Select(s => (double)s.Second).ToArray(), first.Timeline.Select(s => (double)s.Sent).ToArray());
            due.LegendText = "requests due/s";
            due.LinePattern = LinePattern.Dashed;
        }

        Mark(plot, run.Phases.FirstOrDefault());
        return Save(plot, $"{run.Scenario}: throughput", "requests per second", Path.Combine(directory, "throughput.png"));
    }

    private static string Latency(PhaseResult phase, string directory)
    {
        var plot = new Plot();
        var seconds = phase.Timeline.Select(s => (double)s.Second).ToArray();
        plot.Add.ScatterLine(seconds, phase.Timeline.Select(s => s.P50).ToArray()).LegendText = "p50";
        plot.Add.ScatterLine(seconds, phase.Timeline.Select(s => s.P95).ToArray()).LegendText = "p95";
        plot.Add.ScatterLine(seconds, phase.Timeline.Select(s => s.P99).ToArray()).LegendText = "p99";
        Mark(plot, phase);
        return Save(plot, $"{phase.Name}: decision latency from planned send time", "milliseconds", Path.Combine(directory, "latency.png"));
    }

    private static string Utilisation(PhaseResult phase, string directory, string file)
    {
        var plot = new Plot();
        var providers = phase.Timeline.Where(s => s.Utilisation is not null).SelectMany(s => s.Utilisation!.Keys).Distinct().Order(StringComparer.Ordinal);
        foreach (var provider in providers)
        {
            var samples = phase.Timeline.Where(s => s.Utilisation?.ContainsKey(provider) == true).ToArray();
            plot.Add.ScatterLine(samples.Select(s => (double)s.Second).ToArray(), samples.Select(s => s.Utilisation![provider] * 100).ToArray()).LegendText = provider;
        }

        Mark(plot, phase);
        return Save(plot, $"{phase.Name}: utilisation per provider (mean of its pools)", "% allocated", Path.Combine(directory, file));
    }

    /// <summary>Vertical lines where something happened to the cluster (a silo stopped, came back).</summary>
    private static void Mark(Plot plot, PhaseResult? phase)
    {
        foreach (var e in phase?.Events ?? [])
        {
            var line = plot.Add.VerticalLine(e.AtSeconds);
            line.LinePattern = LinePattern.Dotted;
            line.Text = e.What;
        }
    }

    private static string Save(Plot plot, string title, string yLabel, string path)
    {
        plot.Title(title);
        plot.XLabel("seconds into the phase");
        plot.YLabel(yLabel);
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, Width, Height);
        return path;
    }
}
