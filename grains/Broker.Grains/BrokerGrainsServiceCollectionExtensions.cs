using Broker.Grains.Audit;
using Broker.Grains.Directory;
using Broker.Grains.Federation;
using Broker.Grains.Negotiation;
using Broker.Grains.Requests;
using Broker.Grains.Telemetry;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Broker.Grains;

public static class BrokerGrainsServiceCollectionExtensions
{
    /// <summary>Registers what the broker's grains need on a silo: options, the silo-local views and the negotiator.</summary>
    public static IServiceCollection AddBrokerGrains(this IServiceCollection services)
    {
        services.AddOptions<NegotiationOptions>().BindConfiguration(NegotiationOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DirectoryOptions>().BindConfiguration(DirectoryOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RequestOptions>().BindConfiguration(RequestOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DataCenters.Drain.DrainOptions>().BindConfiguration(DataCenters.Drain.DrainOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<GrainCollectionOptions>().Configure<IOptions<RequestOptions>>((collection, requests) =>
        {
            // Idle request grains are looked for every quantum; the quantum must stay below every collection age.
            collection.CollectionQuantum = TimeSpan.FromSeconds(10);
            collection.ClassSpecificCollectionAge[typeof(RequestGrain).FullName!] = requests.Value.IdleDeactivation;
        });
        services.TryAddKeyedSingleton(BrokerTime.Key, TimeProvider.System);
        services.AddSingleton<FederationRegistry>();
        services.AddSingleton<CapacityDirectory>();
        services.AddSingleton<BrokerMetrics>();
        services.AddSingleton<ClusterViewLoad>();
        services.AddSingleton<Negotiator>();
        services.AddSingleton<Tenants.NegotiationGate>();
        services.AddSingleton<ClusterViewRefresher>();
        services.AddSingleton<FederationUpserter>();
        services.AddSingleton<AuditStorage>();
        services.AddSingleton<AuditVerifier>();
        services.AddHostedService(sp => sp.GetRequiredService<ClusterViewRefresher>());
        return services;
    }
}
