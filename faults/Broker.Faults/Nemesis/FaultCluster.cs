using Broker.Faults.Lab;

namespace Broker.Faults.Nemesis;

/// <summary>What a fault run's cluster is made of: the lab network, PostgreSQL on it, and one silo per namespace.</summary>
public sealed class FaultCluster(NetworkLab lab, PostgresNode postgres, IReadOnlyList<SiloProcess> silos)
{
    public static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(90);

    public NetworkLab Lab => lab;

    public PostgresNode Postgres => postgres;

    public IReadOnlyList<SiloProcess> Silos => silos;

    /// <summary>Starts the first silo alone (it creates the cluster), then the others.</summary>
    public async Task StartAllAsync()
    {
        silos[0].Start();
        await silos[0].WaitReadyAsync(StartDeadline);
        await StartAsync(Enumerable.Range(1, silos.Count - 1));
    }

    public async Task StartAsync(IEnumerable<int> which)
    {
        var started = which.ToArray();
        foreach (var i in started)
        {
            silos[i].Start();
        }

        await Task.WhenAll(started.Select(i => silos[i].WaitReadyAsync(StartDeadline)));
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
