namespace Broker.Faults.Lab;

/// <summary>
/// A PostgreSQL server of the run's own (deploy/postgres/pg.sh with its own port and data directory), listening
/// on the lab's bridge as well, so that restarting it never disturbs another cluster on this machine.
/// </summary>
public sealed class PostgresNode : IAsyncDisposable
{
    private readonly Dictionary<string, string> _environment;
    private readonly string _host;
    private readonly int _port;
    private readonly string _data;

    public PostgresNode(NetworkLab lab, int port, string dataDirectory)
    {
        _host = lab.HostAddress;
        _port = port;
        _data = dataDirectory;
        _environment = new()
        {
            ["BROKER_PG_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["BROKER_PG_DATA"] = dataDirectory,
            ["BROKER_PG_LISTEN"] = lab.HostAddress,
            ["BROKER_PG_CLIENTS"] = lab.Subnet,
        };
    }

    /// <summary>As the silos reach it: over the bridge, with short timeouts so that an outage is seen in seconds.</summary>
    public string ConnectionString =>
        $"Host={_host};Port={_port};Database=broker;Username=broker;Password=broker;Timeout=3;Command Timeout=5;Maximum Pool Size=40";

    public Task StartAsync() => Script("up");

    /// <summary>Stops the server (fast: open connections are cut), keeps it down for <paramref name="downFor"/>, starts it again.</summary>
    public async Task RestartAsync(TimeSpan downFor)
    {
        if (downFor > TimeSpan.Zero)
        {
            await Script("down");
            await Task.Delay(downFor); // the outage itself: how long the database is gone is the fault's parameter
        }

        await Script("restart");
    }

    public async ValueTask DisposeAsync()
    {
        await Shell.ExecAsync(_environment, "bash", RepoPaths.PgScript, "down");
        if (System.IO.Directory.Exists(_data))
        {
            System.IO.Directory.Delete(_data, recursive: true);
        }
    }

    private Task Script(string command) => Shell.ExecOrThrowAsync(_environment, "bash", RepoPaths.PgScript, command);
}
