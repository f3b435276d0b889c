using Broker.Grains;
using Broker.Grains.Storage;
using Broker.Grains.Telemetry;
using Broker.Silo.Hosting.Storage;
using Orleans.Configuration;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;

namespace Broker.Silo.Hosting;

/// <summary>
/// Where the cluster keeps membership, reminders and the broker's rows: in memory (the embedded default, one
/// silo, nothing durable) or in PostgreSQL (several silos, durable) — membership and reminders through the Orleans
/// ADO.NET providers, rows (grain states among them) through the broker's own batched <see cref="IRowStore"/>.
/// Everything is stored with the Orleans binary serializer: members carry explicit ids, so renaming a class or a
/// property does not break stored data, unlike CLR type names in JSON.
/// </summary>
public static class SiloStorage
{
    public const string Memory = "memory";
    public const string Postgres = "postgres";
    private const string NpgsqlInvariant = "Npgsql";

    /// <summary>
    /// Declares a dead silo dead in seconds instead of the default ~15 s: a silo is probed every second,
    /// two missed probes make a suspicion, and two silos' votes (or the only other one's) make it dead.
    /// Until then calls to the grains it hosted wait, so this bounds how long a provider's outage stalls requests.
    /// </summary>
    private static void TuneFailureDetection(ClusterMembershipOptions membership)
    {
        membership.ProbeTimeout = TimeSpan.FromSeconds(1);
        membership.NumMissedProbesLimit = 2;
        membership.TableRefreshTimeout = TimeSpan.FromSeconds(2);
        membership.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(5);
        membership.DeathVoteExpirationTimeout = TimeSpan.FromSeconds(20);
    }

    public static ISiloBuilder UseBrokerStorage(this ISiloBuilder silo, BrokerOptions broker, IConfiguration configuration)
    {
        if (broker.Storage == Postgres)
        {
            var connectionString = configuration.GetConnectionString("Broker")
                ?? throw new InvalidOperationException("Broker:Storage is 'postgres' but ConnectionStrings:Broker is not set (deploy/postgres/pg.sh url prints one).");
            silo.Configure<ClusterOptions>(cluster =>
            {
                cluster.ClusterId = broker.ClusterId;
                cluster.ServiceId = broker.ServiceId;
            });
            silo.UseBrokerNetwork(broker, configuration);
            silo.UseAdoNetClustering(o => (o.Invariant, o.ConnectionString) = (NpgsqlInvariant, connectionString));
            silo.Services.AddSingleton<IRowStore>(services => new PostgresRowStore(connectionString, services.GetRequiredService<ILogger<PostgresRowStore>>(), services.GetRequiredService<BrokerMetrics>()));
            UseRowGrainStorage(silo);
            silo.UseAdoNetReminderService(o => (o.Invariant, o.ConnectionString) = (NpgsqlInvariant, connectionString));
            silo.Configure<ClusterMembershipOptions>(TuneFailureDetection);

            // Let the driver's exceptions cross silos (also inside Orleans' own, as when an activation could
            // not read its state): the HTTP edge then sees a database failure and answers 503, not 500.
            silo.Services.Configure<ExceptionSerializationOptions>(o => o.SupportedNamespacePrefixes.Add("Npgsql"));
            return silo;
        }

        silo.UseLocalhostClustering(broker.SiloPort, broker.GatewayPort);
        silo.Configure<ClusterMembershipOptions>(TuneFailureDetection);
        silo.Services.AddSingleton<IRowStore, MemoryRowStore>();
        UseRowGrainStorage(silo);
        silo.UseInMemoryReminderService();
        return silo;
    }

    /// <summary>Every grain's state as rows of the broker's store, so state writes join the store's group commit.</summary>
    private static void UseRowGrainStorage(ISiloBuilder silo) =>
        silo.Services.AddGrainStorage(StorageNames.Broker, (services, _) => new RowGrainStorage(services.GetRequiredService<IRowStore>(), services.GetRequiredService<Serializer>()));
}
