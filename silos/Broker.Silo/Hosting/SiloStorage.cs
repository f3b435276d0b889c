using System.Net;
using Broker.Grains;
using Orleans.Configuration;
using Orleans.Runtime.Hosting;
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

    /// <summary>The Orleans binary serializer for the broker's grain state, whichever provider stores it.</summary>
    private static void StoreStatesInBinary<TOptions>(ISiloBuilder silo)
        where TOptions : class, IStorageProviderSerializerOptions =>
        silo.Services.AddOptions<TOptions>(StorageNames.Broker)
            .Configure<Serializer>((storage, serializer) => storage.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer));

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
            StoreStatesInBinary<AdoNetGrainStorageOptions>(silo);
            silo.UseAdoNetReminderService(o => (o.Invariant, o.ConnectionString) = (NpgsqlInvariant, connectionString));
            silo.Configure<ClusterMembershipOptions>(TuneFailureDetection);

            // Let the driver's exceptions cross silos (also inside Orleans' own, as when an activation could
            // not read its state): the HTTP edge then sees a database failure and answers 503, not 500.
            silo.Services.Configure<ExceptionSerializationOptions>(o => o.SupportedNamespacePrefixes.Add("Npgsql"));
            return silo;
        }

        silo.UseLocalhostClustering(broker.SiloPort, broker.GatewayPort);
        silo.Configure<ClusterMembershipOptions>(TuneFailureDetection);
        silo.Services.AddGrainStorage(StorageNames.Broker, (services, _) => new SiloMemoryGrainStorage(services.GetRequiredService<Serializer>()));
        silo.UseInMemoryReminderService();
        return silo;
    }
}
