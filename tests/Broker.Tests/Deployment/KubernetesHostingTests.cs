using Broker.Silo.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting.Kubernetes;

namespace Broker.Tests.Deployment;

/// <summary><c>Broker:KubernetesHosting</c>: the silo built as the Kubernetes manifests configure it (built, not started).</summary>
public sealed class KubernetesHostingTests
{
    private const string Postgres = "Host=127.0.0.1;Port=1;Database=broker;Username=broker;Password=broker";

    [Fact]
    public async Task KubernetesHosting_On_AdvertisesThePodsAddressAndListensOnEveryAddress()
    {
        IServiceCollection? services = null;
        await using var app = BrokerApp.Create(
            ["--Broker:Storage=postgres", $"--ConnectionStrings:Broker={Postgres}", "--Broker:KubernetesHosting=true", "--Broker:SiloPort=11111", "--Broker:GatewayPort=30000", "--POD_IP=10.9.8.7"],
            builder => services = builder.Services);

        Assert.Contains(services!, d => d.ServiceType == typeof(IConfigureOptions<KubernetesHostingOptions>));
        var endpoints = app.Services.GetRequiredService<IOptions<EndpointOptions>>().Value;
        Assert.Equal(new IPEndPoint(IPAddress.Any, 11111), endpoints.SiloListeningEndpoint);
        Assert.Equal(new IPEndPoint(IPAddress.Any, 30000), endpoints.GatewayListeningEndpoint);
        // POD_IP comes from the downward API as an environment variable; here from the command line, which configuration reads alike.
        Assert.Equal(IPAddress.Parse("10.9.8.7"), endpoints.AdvertisedIPAddress);
    }

    [Fact]
    public async Task KubernetesHosting_Off_ListensAndAdvertisesTheConfiguredAddressOnly()
    {
        IServiceCollection? services = null;
        await using var app = BrokerApp.Create(
            ["--Broker:Storage=postgres", $"--ConnectionStrings:Broker={Postgres}", "--Broker:SiloPort=11111", "--Broker:GatewayPort=30000"],
            builder => services = builder.Services);

        Assert.DoesNotContain(services!, d => d.ServiceType == typeof(IConfigureOptions<KubernetesHostingOptions>));
        var endpoints = app.Services.GetRequiredService<IOptions<EndpointOptions>>().Value;
        Assert.Equal(IPAddress.Loopback, endpoints.AdvertisedIPAddress);
        // No listening endpoint of its own: the silo listens on the advertised address alone.
        Assert.Null(endpoints.SiloListeningEndpoint);
    }

    [Fact]
    public async Task KubernetesHosting_InMemory_RefusedAtStart()
    {
        await using var app = BrokerApp.Create(["--Broker:KubernetesHosting=true", "--urls", "http://127.0.0.1:0"]);

        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("Broker:KubernetesHosting needs Broker:Storage=postgres", refused.Message, StringComparison.Ordinal);
    }
}
