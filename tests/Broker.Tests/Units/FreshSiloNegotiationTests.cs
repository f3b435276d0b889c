using Broker.Federation;
using Broker.Grains;
using Broker.Grains.Directory;
using Broker.Grains.Federation;
using Broker.Grains.Negotiation;
using Broker.Requests;
using Microsoft.Extensions.Options;

namespace Broker.Tests.Units;

/// <summary>
/// A silo is active, and hosts new request grains, a moment before it has loaded the federation: the fault run saw
/// requests negotiated there in that moment answered "unsatisfiable" by an empty view. Before the load a negotiation
/// fails as a fault (503, the client retries); after it, the federation decides.
/// </summary>
public sealed class FreshSiloNegotiationTests
{
    [Fact]
    public async Task Negotiate_BeforeTheSiloLoadedTheFederation_FailsAsAFaultAndAfterItJudgesByIt()
    {
        var federation = new FederationRegistry();
        var load = new ClusterViewLoad();
        var negotiator = new Negotiator(null!, new CapacityDirectory(), federation, load, Options.Create(new NegotiationOptions()), TimeProvider.System);
        var spec = new RequestSpec { Items = [new RequestItem("storage.ssd", 1)], Constraints = new RequestConstraints { ProtectionLevel = ProtectionLevel.VeryHigh } };

        await Assert.ThrowsAsync<TimeoutException>(() => negotiator.NegotiateAsync("r-fresh", Guid.NewGuid(), "p", spec, _ => Task.CompletedTask));

        // The federation arrives: nothing in it reaches "very-high", so now "unsatisfiable" is the true answer.
        var dc = new DataCenterDefinition { Id = "dc", Location = "DE-HH", Pools = [new PoolDefinition { Resource = "storage.ssd", Total = 10 }] };
        federation.Apply(new VersionedFederation(1, new FederationDocument { Providers = [new ProviderDefinition { Id = "p", DataCenters = [dc] }] }));
        load.MarkLoaded();
        var outcome = await negotiator.NegotiateAsync("r-fresh", Guid.NewGuid(), "p", spec, _ => Task.CompletedTask);

        Assert.Equal(RejectionCode.Unsatisfiable, outcome.Rejection?.Code);
    }
}
