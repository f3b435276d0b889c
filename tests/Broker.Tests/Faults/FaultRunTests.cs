using Broker.Faults;
using Broker.Faults.Nemesis;
using Xunit.Abstractions;

namespace Broker.Tests.Faults;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FaultRunCollection
{
    // Alone: three silo processes, PostgreSQL and the workload take both cores, and recovery times are part of the verdict.
    public const string Name = "fault-run";
}

/// <summary>
/// The short seeded fault run of CI: a client workload against three silo processes on PostgreSQL, each in a network
/// namespace of its own, while the nemesis kills, pauses and partitions silos and restarts PostgreSQL — then the whole
/// cluster restarts and the checker holds every answer against what is stored. The README's long run is the same with
/// other arguments.
/// </summary>
[Collection(FaultRunCollection.Name)]
public sealed class FaultRunTests(ITestOutputHelper output)
{
    [Fact]
    public async Task SeededRun_EveryFaultKind_NoViolation_ServiceBackWithinFiveSeconds()
    {
        var directory = Path.Combine(Path.GetTempPath(), "broker-fault-run-" + Guid.NewGuid().ToString("N")[..8]);
        var options = new FaultRunOptions
        {
            Seed = 11,
            Duration = TimeSpan.FromSeconds(120),
            Clients = 16,
            OutDirectory = directory,
            CalmMin = TimeSpan.FromSeconds(3),
            CalmMax = TimeSpan.FromSeconds(5),
        };
        using var log = new StringWriter();

        var result = await FaultRun.RunAsync(options, log);
        output.WriteLine(log.ToString());
        output.WriteLine($"history, final state and report in {directory}");

        Assert.Equal(Enum.GetValues<FaultKind>().Select(FaultInjector.Name).Order(), result.FaultsByKind.Keys.Order());
        Assert.Empty(result.Violations.Select(v => $"{v.Check} {v.Subject}: {v.Detail}"));
        Assert.True(result.Operations > 2_000, $"only {result.Operations} operations: the run proves little");
        Assert.True(result.PoolSamples > 60, $"only {result.PoolSamples} pool samples (one every 2 s would be 60)");
        Assert.All(result.Recoveries, r => Assert.NotNull(r.After));
    }
}
