using System.Globalization;
using System.Text;
using System.Text.Json;
using Broker.Faults.History;

namespace Broker.Faults.Report;

/// <summary>Writes a run's result as result.json and summary.md beside its history.jsonl.</summary>
public static class FaultReport
{
    private const int ViolationsShown = 30;

    public static async Task WriteAsync(FaultRunResult result, string directory)
    {
        await File.WriteAllTextAsync(Path.Combine(directory, "result.json"), JsonSerializer.Serialize(result, new JsonSerializerOptions(HistoryLog.Json) { WriteIndented = true }));
        await File.WriteAllTextAsync(Path.Combine(directory, "summary.md"), Summary(result));
    }

    public static string Summary(FaultRunResult r)
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.AppendLine(c, $"# Fault run, seed {r.Options.Seed}");
        text.AppendLine();
        text.AppendLine(c, $"- ran {r.Ran.TotalSeconds:F0} s with {r.Options.Clients} clients against 3 silo processes on PostgreSQL; {r.Operations:N0} operations, {r.RequestsChecked:N0} requests checked after a whole-cluster restart, {r.PoolSamples:N0} pool samples");
        text.AppendLine(c, $"- faults: {string.Join(", ", r.FaultsByKind.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key} × {f.Value}"))}");
        text.AppendLine(c, $"- violations: **{r.Violations.Count}**");
        text.AppendLine();
        text.AppendLine("| operation | count |");
        text.AppendLine("| --- | ---: |");
        foreach (var (name, count) in r.OperationsByOutcome)
        {
            text.AppendLine(c, $"| {name} | {count:N0} |");
        }

        text.AppendLine();
        text.AppendLine("## Service back after each fault (first allocation decided through a silo the fault did not hit)");
        text.AppendLine();
        text.AppendLine("| fault | n | min s | median s | max s | never |");
        text.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var kind in r.Recoveries.GroupBy(x => x.Kind).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var times = kind.Where(x => x.After is not null).Select(x => x.After!.Value.TotalSeconds).Order().ToList();
            var never = kind.Count(x => x.After is null);
            text.AppendLine(times.Count == 0
                ? string.Create(c, $"| {kind.Key} | {kind.Count()} | – | – | – | {never} |")
                : string.Create(c, $"| {kind.Key} | {kind.Count()} | {times[0]:F2} | {times[times.Count / 2]:F2} | {times[^1]:F2} | {never} |"));
        }

        text.AppendLine();
        text.AppendLine("## Violations");
        text.AppendLine();
        if (r.Violations.Count == 0)
        {
            text.AppendLine("None.");
        }

        foreach (var check in r.Violations.GroupBy(v => v.Check))
        {
            text.AppendLine(c, $"### {check.Key}: {check.Count()}");
            text.AppendLine();
            foreach (var v in check.Take(ViolationsShown))
            {
                text.AppendLine(c, $"- `{v.Subject}`: {v.Detail}");
            }

            text.AppendLine();
        }

        return text.ToString();
    }
}
