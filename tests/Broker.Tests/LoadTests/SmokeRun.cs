using System.Text.Json;
using Broker.LoadTests;
using Broker.LoadTests.Demand;
using Broker.LoadTests.Report;
using Broker.LoadTests.Running;

namespace Broker.Tests.LoadTests;

/// <summary>
/// A few seconds of a scenario, and what every report must show whatever the speed: both phases, something served,
/// every request accounted for and terminal, every capacity sample read and no pool ever overcommitted, everything
/// given back, and the files.
/// Speed is never asserted here; the README reports measured runs.
/// </summary>
internal static class SmokeRun
{
    public static LoadTestOptions Options(ScenarioKind scenario, string directory, Uri? target = null, string? adminToken = null) => new()
    {
        Scenario = scenario,
        Duration = TimeSpan.FromSeconds(4),
        Rate = 30,
        Tenants = 24,
        Target = target,
        AdminToken = adminToken ?? "unused",
        OutDirectory = directory,
        WarmUp = TimeSpan.FromSeconds(1),
        CeilingDuration = TimeSpan.FromSeconds(1),
        CeilingWorkers = 8,
    };

    public static async Task<RunResult> RunAsync(LoadTestOptions options, IOutageControl? outage = null)
    {
        var progress = new StringWriter();
        var result = await LoadTest.RunAsync(options, progress, outage);
        AssertReport(result, options, progress.ToString());
        return result;
    }

    private static void AssertReport(RunResult result, LoadTestOptions options, string progress)
    {
        Assert.Equal(["federated", "isolated"], result.Phases.Select(p => p.Name));
        Assert.Equal(Scenarios.Name(options.Scenario), result.Scenario);
        Assert.True(result.World.PlannedRequests > 0, "the plan holds requests");
        foreach (var phase in result.Phases)
        {
            var context = $"{phase.Name}: {JsonSerializer.Serialize(phase with { Timeline = [] })}";
            Assert.True(phase.Planned == result.World.PlannedRequests, context);
            Assert.True(phase.Sent + phase.Dropped == phase.Planned, context);
            Assert.True(phase.Allocated + phase.Rejected.Values.Sum() + phase.Failed.Values.Sum() == phase.Sent, context);
            Assert.True(phase.AllocatedByTier.Values.Sum() == phase.Allocated, context);
            Assert.True(phase.Invariants.Hold, context);
            // Said again on their own, so a failure names them: a run that served nothing, or a second whose capacity
            // nobody read, proves nothing about overcommit.
            Assert.True(phase.Allocated > 0 && phase.Invariants.Served == phase.Allocated, $"nothing served: {context}");
            Assert.True(phase.Invariants.FailedCapacitySamples == 0, $"a capacity sample failed: {context}");
            Assert.Equal(0, phase.Resolution.Unresolved);
            Assert.True(phase.Timeline.Count >= options.Duration.TotalSeconds, context);
            Assert.True(phase.Latency.Count == phase.Decided, context);
            Assert.Contains($"[{phase.Name}]", progress, StringComparison.Ordinal);
        }

        Assert.Equal(0, result.Phases[1].AllocatedByTier.GetValueOrDefault("federation") + result.Phases[1].AllocatedByTier.GetValueOrDefault("partner"));
        Assert.NotNull(result.Ceiling);
        var directory = options.OutDirectory;
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "result.json")));
        Assert.Equal(2, json.RootElement.GetProperty("phases").GetArrayLength());
        Assert.Contains("## Served", File.ReadAllText(Path.Combine(directory, "summary.md")), StringComparison.Ordinal);
        foreach (var chart in new[] { "throughput.png", "latency.png", "utilisation.png", "utilisation-isolated.png" })
        {
            var bytes = File.ReadAllBytes(Path.Combine(directory, chart));
            Assert.True(bytes.Length > 1000 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G', $"{chart} is a PNG");
        }
    }
}
