using System.Net;
using Orleans.Configuration;
using Orleans.Hosting.Kubernetes;

namespace Broker.Silo.Hosting;

/// <summary>
/// Where a durable silo listens and which address it gives the cluster. On a host of its own: <c>Broker:SiloAddress</c>.
/// In Kubernetes (<c>Broker:KubernetesHosting</c>): the pod's IP (<c>POD_IP</c>), listening on every address, and Orleans'
/// Kubernetes hosting, which names the silo after its pod, takes the service and cluster ids from <c>ORLEANS_SERVICE_ID</c>
/// and <c>ORLEANS_CLUSTER_ID</c>, and declares silos dead whose pods are gone instead of waiting for their probes to be
/// missed, which shortens the stalls of a rolling upgrade.
/// </summary>
public static class SiloNetwork
{
    public static ISiloBuilder UseBrokerNetwork(this ISiloBuilder silo, BrokerOptions broker, IConfiguration configuration)
    {
        if (!broker.KubernetesHosting)
        {
            return silo.ConfigureEndpoints(Address(broker), broker.SiloPort, broker.GatewayPort, listenOnAnyHostAddress: false);
        }

        // Kubernetes hosting fills in the listening endpoints left unset. It would fill in the advertised address too,
        // but Orleans' own defaults pick one of the host's addresses before it runs: the pod's IP is given here.
        var podIp = configuration[KubernetesHostingOptions.PodIPEnvironmentVariable];
        silo.Configure<EndpointOptions>(endpoints =>
        {
            endpoints.SiloPort = broker.SiloPort;
            endpoints.GatewayPort = broker.GatewayPort;
            if (!string.IsNullOrEmpty(podIp))
            {
                endpoints.AdvertisedIPAddress = IPAddress.TryParse(podIp, out var address) ? address : throw new InvalidOperationException($"POD_IP '{podIp}' is not an IP address.");
            }
        });
        return silo.UseKubernetesHosting();
    }

    private static IPAddress Address(BrokerOptions broker) =>
        IPAddress.TryParse(broker.SiloAddress, out var address) ? address : throw new InvalidOperationException($"Broker:SiloAddress '{broker.SiloAddress}' is not an IP address.");
}
