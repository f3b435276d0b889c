using Broker.Faults.Lab;

namespace Broker.Faults.Nemesis;

/// <summary>
/// What a fault run's cluster is made of: the lab network, PostgreSQL on it, and one silo per namespace. It starts silos
/// as a process supervisor would: a silo that exits while it starts (declared dead while joining a cluster that is
/// still settling after a fault, on a machine starved of CPU) is started again, up to <see cref="StartAttempts"/>
/// times, and each such start is written to the run's log.
/// </summary>
public sealed class FaultCluster(NetworkLab lab, PostgresNode postgres, IReadOnlyList<SiloProcess> silos, TextWriter log)
{
    public static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(90);

    public const int StartAttempts = 3;

    public NetworkLab Lab => lab;

    public PostgresNode Postgres => postgres;

    public IReadOnlyList<SiloProcess> Silos => silos;

    /// <summary>Starts the first silo alone (it creates the cluster), then the others.</summary>
    public async Task StartAllAsync()
    {
        await StartOneAsync(0);
        await StartAsync(Enumerable.Range(1, silos.Count - 1));
    }

    public Task StartAsync(IEnumerable<int> which) => Task.WhenAll(which.Select(StartOneAsync));

    private async Task StartOneAsync(int silo)
    {
        for (var attempt = 1; ; attempt++)
        {
            silos[silo].Start();
            try
            {
                await silos[silo].WaitReadyAsync(StartDeadline);
                return;
            }
            catch (InvalidOperationException) when (!silos[silo].IsRunning && attempt < StartAttempts)
            {
                log.WriteLine($"silo {silo} exited while it started (attempt {attempt} of {StartAttempts}); starting it again");
            }
        }
    }

    /// <summary>kill -9 of every silo, then a start of all: what is read afterwards comes from PostgreSQL, not from memory.</summary>
    public async Task RestartWholeClusterAsync()
    {
        foreach (var silo in silos)
        {
            silo.Resume();
            silo.Kill();
        }

        await StartAllAsync();
    }
}
