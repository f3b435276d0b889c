using System.Diagnostics;
using Broker.Faults.History;

namespace Broker.Faults.Nemesis;

/// <summary>
/// Plays the fault plan against the cluster and records each fault's start and end in the history. A fault
/// starts only when every silo is up again, so that the cluster always has a majority to carry on with.
/// </summary>
public sealed class FaultInjector(FaultCluster cluster, HistoryLog history, TextWriter log)
{
    /// <summary>How long a silo that was paused or cut off is watched after it comes back: declared dead, it stops itself.</summary>
    private static readonly TimeSpan SelfStopWatch = TimeSpan.FromSeconds(10);

    /// <summary>Plays the plan until <paramref name="runFor"/> is up: a fault that would not end in time is not begun.</summary>
    public async Task RunAsync(IReadOnlyList<FaultStep> plan, Stopwatch clock, TimeSpan runFor, CancellationToken stop)
    {
        foreach (var step in plan)
        {
            await Task.Delay(step.CalmBefore, stop).ContinueWith(_ => { }, TaskScheduler.Default); // the calm spell the plan gives
            if (stop.IsCancellationRequested || clock.Elapsed + step.Duration + step.CalmBefore > runFor)
            {
                return;
            }

            await EnsureAllUpAsync();
            log.WriteLine($"[{clock.Elapsed.TotalSeconds,6:F1}s] fault {step.Kind} on silo {step.Silo} for {step.Duration.TotalSeconds:F1} s");
            await InjectAsync(step);
        }
    }

    /// <summary>Heals whatever is still broken and restarts any silo that stopped itself.</summary>
    public async Task EnsureAllUpAsync()
    {
        var down = Enumerable.Range(0, cluster.Silos.Count).Where(i => !cluster.Silos[i].IsRunning).ToArray();
        if (down.Length > 0)
        {
            await cluster.StartAsync(down);
            Record(EventType.Heal, "restart-stopped", null);
        }
    }

    private async Task InjectAsync(FaultStep step)
    {
        var silo = cluster.Silos[step.Silo];
        var kind = Name(step.Kind);
        switch (step.Kind)
        {
            case FaultKind.Kill:
                Record(EventType.Fault, kind, step.Silo);
                silo.Kill();
                await Task.Delay(step.Duration);
                await cluster.StartAsync([step.Silo]);
                Record(EventType.Heal, kind, step.Silo);
                break;
            case FaultKind.Pause:
                Record(EventType.Fault, kind, step.Silo);
                silo.Pause();
                await Task.Delay(step.Duration);
                silo.Resume();
                Record(EventType.Heal, kind, step.Silo);
                await RestartIfItStopsItselfAsync(step.Silo);
                break;
            case FaultKind.Partition:
                Record(EventType.Fault, kind, step.Silo);
                await cluster.Lab.PartitionAsync(step.Silo);
                await Task.Delay(step.Duration);
                await cluster.Lab.HealAsync(step.Silo);
                Record(EventType.Heal, kind, step.Silo);
                await RestartIfItStopsItselfAsync(step.Silo);
                break;
            case FaultKind.DatabaseRestart or FaultKind.DatabaseOutage:
                Record(EventType.Fault, kind, null);
                await cluster.Postgres.RestartAsync(step.Duration);
                Record(EventType.Heal, kind, null);
                break;
        }
    }

    /// <summary>A silo the others declared dead learns it when it can reach the membership table again, and stops.</summary>
    private async Task RestartIfItStopsItselfAsync(int i)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < SelfStopWatch && cluster.Silos[i].IsRunning)
        {
            await Task.Delay(200); // watching a process: it either exits or the watch ends
        }

        if (!cluster.Silos[i].IsRunning)
        {
            await cluster.StartAsync([i]);
            Record(EventType.Heal, "restart-declared-dead", i);
        }
    }

    private void Record(EventType type, string kind, int? silo) =>
        history.Append(new HistoryEvent { Op = history.NextOp(), Type = type, F = Operation.Nemesis, At = DateTimeOffset.UtcNow, Silo = silo, Code = kind });

    public static string Name(FaultKind kind) => kind switch
    {
        FaultKind.Kill => "kill",
        FaultKind.Pause => "pause",
        FaultKind.DatabaseRestart => "database-restart",
        FaultKind.DatabaseOutage => "database-outage",
        _ => "partition",
    };
}
