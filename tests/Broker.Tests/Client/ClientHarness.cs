using Broker.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Broker.Tests.Client;

/// <summary>A <see cref="BrokerClient"/> as an application would register it, with a fault injector next to the network.</summary>
public sealed class ClientHarness : IDisposable
{
    private readonly ServiceProvider _services;

    public ClientHarness(Uri broker, string? token, FaultInjectionHandler faults, Action<BrokerClientOptions>? tune = null)
    {
        Faults = faults;
        var services = new ServiceCollection();
        services.AddBrokerClient(options =>
        {
            options.BaseAddress = broker;
            options.Token = token;
            // Short backoff keeps the tests quick; the Retry-After tests show the header still wins.
            options.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
            options.PollInterval = TimeSpan.FromMilliseconds(20);
            tune?.Invoke(options);
        }).AddHttpMessageHandler(() => faults);
        _services = services.BuildServiceProvider();
        Client = _services.GetRequiredService<BrokerClient>();
    }

    public BrokerClient Client { get; }

    public FaultInjectionHandler Faults { get; }

    public void Dispose() => _services.Dispose();
}
