using System.Globalization;

namespace Broker.Tests.Deployment;

/// <summary>
/// A PostgreSQL of one deployment test's own, started by the project's deploy/postgres/pg.sh on port 25433 with a
/// fresh data directory: never the cluster tests' instance (25432), never another test's data. The tests that use it
/// share one collection, so only one of them has the port at a time. <c>BROKER_DEPLOY_PG_PORT</c> moves it, for a
/// machine where something else listens on 25433.
/// </summary>
internal sealed class DeploymentPostgres : IAsyncDisposable
{
    public static readonly int Port = int.Parse(System.Environment.GetEnvironmentVariable("BROKER_DEPLOY_PG_PORT") ?? "25433", CultureInfo.InvariantCulture);

    private readonly TempDirectory _data = new("deploy-pg");

    private DeploymentPostgres()
    {
        Environment = new Dictionary<string, string>
        {
            ["BROKER_PG_PORT"] = Port.ToString(CultureInfo.InvariantCulture),
            ["BROKER_PG_DATA"] = _data.Path,
        };
    }

    /// <summary>What pg.sh, backup.sh and local-cluster.sh need to find this instance.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>The silos' connection string, as pg.sh prints it.</summary>
    public string ConnectionString { get; private set; } = "";

    public static async Task<DeploymentPostgres> StartAsync()
    {
        var postgres = new DeploymentPostgres();
        try
        {
            await postgres.ScriptAsync(RepoPaths.PgScript, "up");
            postgres.ConnectionString = await postgres.ScriptAsync(RepoPaths.PgScript, "url");
            return postgres;
        }
        catch
        {
            await postgres.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs one of the project's scripts against this instance; a failure says what the script printed.</summary>
    public Task<string> ScriptAsync(string script, params string[] args) => Shell.ExecOrThrowAsync(Environment, "bash", [script, .. args]);

    /// <summary>One SQL statement as the server's superuser; its rows as psql prints them unaligned.</summary>
    public Task<string> SqlAsync(string database, string sql) => Shell.ExecOrThrowAsync(
        null, "/usr/lib/postgresql/15/bin/psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", "postgres", "-d", database, "-tAc", sql);

    public async ValueTask DisposeAsync()
    {
        await Shell.ExecAsync(Environment, "bash", RepoPaths.PgScript, "down");
        _data.Dispose();
    }
}

/// <summary>The tests that start <see cref="DeploymentPostgres"/>: one collection, so they never share its port at once.</summary>
[CollectionDefinition(Name)]
public sealed class DeploymentPostgresCollection
{
    public const string Name = "deployment-postgres";
}
