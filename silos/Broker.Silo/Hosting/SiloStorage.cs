using System.Net;
using Broker.Grains;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;

namespace Broker.Silo.Hosting;

/// <summary>
/// Where the cluster keeps membership, grain state and reminders: in memory (the embedded default, one
/// silo, nothing durable) or in PostgreSQL through the Orleans ADO.NET providers (several silos, durable).
/// Grain state is stored with the Orleans binary serializer either way: members carry explicit ids, so
/// renaming a class or a property does not break stored data, unlike CLR type names in JSON.
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
            silo.ConfigureEndpoints(IPAddress.Loopback, broker.SiloPort, broker.GatewayPort, listenOnAnyHostAddress: false);
            silo.UseAdoNetClustering(o => (o.Invariant, o.ConnectionString) = (NpgsqlInvariant, connectionString));
            silo.AddAdoNetGrainStorage(StorageNames.Broker, o => (o.Invariant, o.ConnectionString) = (NpgsqlInvariant, connectionString));
            silo.Services.AddOptions<AdoNetGrainStorageOptions>(StorageNames.Broker)
                .Configure<Serializer>((storage, serializer) => storage.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer));
            silo.UseAdoNetReminderService(o => (o.Invariant, o.ConnectionString) = (NpgsqlInvariant, connectionString));
            silo.Configure<ClusterMembershipOptions>(TuneFailureDetection);

            // The driver's exceptions travel inside Orleans' own (an activation that could not read its
            // state, say): let them cross silos, so the caller learns that the database is unavailable.
            silo.Services.Configure<ExceptionSerializationOptions>(o => o.SupportedNamespacePrefixes.Add("Npgsql"));
            return silo;
        }

        silo.UseLocalhostClustering(broker.SiloPort, broker.GatewayPort);
        silo.Configure<ClusterMembershipOptions>(TuneFailureDetection);
        silo.AddMemoryGrainStorage(StorageNames.Broker);
        silo.Services.AddOptions<MemoryGrainStorageOptions>(StorageNames.Broker)
            .Configure<Serializer>((storage, serializer) => storage.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer));
        silo.UseInMemoryReminderService();
        return silo;
    }
}
