using Broker.DataCenters;
using Microsoft.Extensions.DependencyInjection;

namespace Broker.Tests.Negotiation;

/// <summary>
/// A negotiation broken by the broker's own fault must not read as a full federation: when a data center it had to ask
/// could not be reached, the request is rejected <c>negotiation-failed</c>, nothing is held, and once the data center
/// answers again the same request body is served. A full data center that answers still means <c>no-capacity</c>.
/// A broker of its own whose data center grains fail offers while the test says so, as one on a lost silo would.
/// </summary>
public sealed class UnreachableDataCenterTests : IAsyncLifetime
{
    private readonly UnreachableDataCenters _unreachable = new();
    private readonly BrokerFixture _broker;

    public UnreachableDataCenterTests() => _broker = new BrokerFixture { ExtraServices = services => services.AddSingleton<IIncomingGrainCallFilter>(_unreachable) };

    public Task InitializeAsync() => _broker.InitializeAsync();

    public Task DisposeAsync() => _broker.DisposeAsync();

    [Fact]
    public async Task DataCenterUnreachable_RejectedNegotiationFailed_NothingHeld_FullButReachableIsNoCapacity()
    {
        var world = await _broker.CreateWorldAsync(w =>
        {
            var home = w.Member("home", "DE-HH").DataCenter("dc", "DE-HH", ProtectionLevel.Normal, Pool("storage.ssd", 100, 0.0001m));
            w.Tenant("t", home);
        });

        _unreachable.Refuse = true;
        var (_, failed) = await world.RequestAsync("t", world.Body("storage.ssd", 60));
        _unreachable.Refuse = false;
        var (_, served) = await world.RequestAsync("t", world.Body("storage.ssd", 60));
        var (_, full) = await world.RequestAsync("t", world.Body("storage.ssd", 60));

        Assert.True(_unreachable.Refused > 0, "the filter refused no call: the test proves nothing");
        Assert.Equal(("rejected", "negotiation-failed"), (failed.State(), failed.ReasonCode()));
        Assert.Equal(
            $"1 of the 1 data centers asked could not be reached ({world.Id("dc")}); nothing is allocated, try again with a new key",
            failed.GetProperty("reason").GetProperty("detail").GetString());
        Assert.Equal("allocated", served.State());
        Assert.Equal(("rejected", "no-capacity"), (full.State(), full.ReasonCode()));
        var pool = await world.PoolAsync("dc", "storage.ssd");
        Assert.Equal((60L, 0L), (pool.Allocated, pool.Held));
    }

    /// <summary>Fails every offer and direct allocation at a data center while <see cref="Refuse"/> is set, as a lost silo would.</summary>
    private sealed class UnreachableDataCenters : IIncomingGrainCallFilter
    {
        public volatile bool Refuse;
        private int _refused;

        public int Refused => _refused;

        public Task Invoke(IIncomingGrainCallContext context)
        {
            if (Refuse && context.Grain is IDataCenterGrain && context.MethodName is nameof(IDataCenterGrain.OfferAsync) or nameof(IDataCenterGrain.AllocateAsync))
            {
                Interlocked.Increment(ref _refused);
                throw new TimeoutException("the data center is unreachable (injected by the test)");
            }

            return context.Invoke();
        }
    }
}
