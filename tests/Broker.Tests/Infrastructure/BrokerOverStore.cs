using Broker.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Broker.Tests.Infrastructure;

/// <summary>
/// A broker of its own over a given in-memory store, for a restart of the whole in-process broker: dispose one, start
/// another over the same store, and it finds everything the first stored (not its reminders, which live in memory).
/// </summary>
public sealed class BrokerOverStore : IAsyncDisposable
{
    private BrokerOverStore(BrokerFixture broker) => Broker = broker;

    public BrokerFixture Broker { get; }

    public static async Task<BrokerOverStore> StartAsync(MemoryRowStore store, string[]? settings = null, IIncomingGrainCallFilter? filter = null)
    {
        var broker = new BrokerFixture
        {
            ExtraSettings = settings ?? [],
            ExtraServices = services =>
            {
                services.AddSingleton<IRowStore>(store);
                if (filter is not null)
                {
                    services.AddSingleton(filter);
                }
            },
        };
        await broker.InitializeAsync();
        return new BrokerOverStore(broker);
    }

    public async ValueTask DisposeAsync() => await Broker.DisposeAsync();
}
