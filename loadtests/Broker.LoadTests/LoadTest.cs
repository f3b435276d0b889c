using System.Text.Json;
using Broker.Client;
using Broker.Contracts;
using Broker.LoadTests.Demand;
using Broker.LoadTests.Report;
using Broker.LoadTests.Running;
using Broker.LoadTests.Targets;
using Broker.LoadTests.World;

namespace Broker.LoadTests;

/// <summary>
/// One run: build the load world and the plan from the seed, run the plan against the federated broker,
/// run it again with every provider on its own, measure the ceiling, and write the report.
/// </summary>
public static class LoadTest
{
    private static readonly JsonSerializerOptions Indented = new(BrokerJsonOptions.Default) { WriteIndented = true };

    public static async Task<RunResult> RunAsync(LoadTestOptions options, TextWriter progress, IOutageControl? outage = null, CancellationToken cancellationToken = default)
    {
        var shape = JsonSerializer.Deserialize<FederationFile>(await File.ReadAllTextAsync(ShapeFile, cancellationToken), BrokerJsonOptions.Default)!;
        if (options.Scenario == ScenarioKind.Fill)
        {
            return await FillTest.RunAsync(options, shape, progress, cancellationToken);
        }

        var world = LoadWorld.Create(shape, options.Seed, options.Rate, options.Tenants, options.DataCenters, Scenarios.HoldScale(options.Scenario));
        var plan = DemandPlan.Create(world, options.Scenario, options.Duration, options.Seed, options.SpikeState);
        if (Scenarios.InProcessOnly(options.Scenario) && options.Target is not null)
        {
            throw new ArgumentException($"{Scenarios.Name(options.Scenario)} drives the broker's grains (reservations, drains) beside the requests: run it --in-process, not with --target");
        }

        if (options.Scenario == ScenarioKind.ProviderOutage && outage is null)
        {
            outage = await LocalOutageAsync(options, cancellationToken);
        }

        var started = DateTimeOffset.UtcNow;
        progress.WriteLine($"{Scenarios.Name(options.Scenario)}: {plan.Arrivals.Count:N0} requests over {options.Duration.TotalSeconds:0} s per phase, "
            + $"{world.Tenants.Count} authorities, {world.DataCenters.Count()} data centers, target {(options.Target?.ToString() ?? "in-process")}"
            + (options.Keep ? "; allocations kept to the end of each phase (--keep)" : ""));
        await using IBrokerTarget target = options.Target is null ? new InProcessTarget() : new HttpTarget(options.Target, options.AdminToken);
        if (options.WarmUp > TimeSpan.Zero)
        {
            await target.PrepareAsync(world, cancellationToken);
            var warmUp = DemandPlan.Create(world, ScenarioKind.Steady, options.WarmUp, options.Seed + 7);
            await new PhaseRunner(target, world, warmUp, TextWriter.Null).RunAsync("warm-up", isolated: false, cancellationToken);
        }

        var phases = new List<PhaseResult>();
        SpikeBookingResult? booking = null;
        DrainResult? drain = null;
        if (options.Scenario == ScenarioKind.ElectionBooked)
        {
            (var both, booking) = await new ElectionBookedPhases((InProcessTarget)target, world, plan, progress).RunAsync(cancellationToken);
            phases.AddRange(both);
        }
        else if (options.Scenario == ScenarioKind.Drain)
        {
            (var phase, drain) = await new DrainPhase((InProcessTarget)target, world, plan, progress).RunAsync(cancellationToken);
            phases.Add(phase);
        }
        else
        {
            foreach (var isolated in options.Compare ? new[] { false, true } : [false])
            {
                await target.PrepareAsync(world, cancellationToken);
                var runner = new PhaseRunner(target, world, plan, progress, outage, options.Keep);
                phases.Add(await runner.RunAsync(isolated ? "isolated" : "federated", isolated, cancellationToken));
            }
        }

        CeilingResult? ceiling = null;
        if (options.CeilingDuration > TimeSpan.Zero)
        {
            progress.WriteLine($"ceiling: {options.CeilingWorkers} workers, {options.CeilingDuration.TotalSeconds:0} s of decisions, then as long of {target.TrivialCallName}");
            await target.PrepareAsync(world, cancellationToken);
            ceiling = await CeilingProbe.RunAsync(target, plan.Arrivals, options.CeilingDuration, options.CeilingWorkers, cancellationToken);
        }

        var result = new RunResult(
            Scenarios.Name(options.Scenario),
            target.Mode,
            options.Target?.ToString(),
            options.Seed,
            options.Duration.TotalSeconds,
            options.Rate,
            started,
            MachineInfo.Current(),
            new WorldInfo(world.Providers.Count(), world.DataCenters.Count(), world.Tenants.Count, plan.Arrivals.Count),
            plan.SpikeState,
            phases,
            ceiling,
            options.Keep,
            Booking: booking,
            Drain: drain);
        await WriteAsync(result, options.OutDirectory, cancellationToken);
        return result;
    }

    /// <summary>The demo federation shipped beside the silo: the providers and data centers the load world copies.</summary>
    public static string ShapeFile => Path.Combine(AppContext.BaseDirectory, "demo-federation.json");

    public static async Task WriteAsync(RunResult result, string directory, CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, "result.json"), JsonSerializer.Serialize(result, Indented), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(directory, "summary.md"), SummaryWriter.Write(result), cancellationToken);
        Charts.Write(result, directory);
    }

    private static async Task<IOutageControl> LocalOutageAsync(LoadTestOptions options, CancellationToken cancellationToken)
    {
        if (options.Target is null)
        {
            throw new ArgumentException("provider-outage stops a silo of a multi-process cluster: start one with deploy/local-cluster.sh up and pass --target");
        }

        var provider = options.OutageProvider;
        if (provider is null)
        {
            // status prints "<provider> <pid> <url>" per running silo; stop one that is not the silo under --target.
            var status = await Script.RunAsync(options.ClusterScript, ["status"], cancellationToken);
            provider = status.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' '))
                .Where(f => f.Length == 3 && new Uri(f[2]).Port != options.Target.Port).Select(f => f[0]).FirstOrDefault()
                ?? throw new ArgumentException($"{options.ClusterScript} status shows no running silo besides the one under --target");
        }

        return new LocalClusterOutage(options.ClusterScript, provider);
    }
}
