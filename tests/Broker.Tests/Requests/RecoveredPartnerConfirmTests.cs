using Broker.DataCenters;
using Broker.Grains.Requests;
using Broker.Grains.Storage;
using Broker.Providers;
using Broker.Requests;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Broker.Tests.Requests;

/// <summary>
/// The 600 s fault run saw a partner contract served at 44 of 40. A request's silo was cut off mid-confirm at a partner
/// data center; its negotiation failed and gave the contract volume back, but the confirm still reached storage, and the
/// request's next activation recovered the allocation from its intent log — with no volume reserved for it. A recovered
/// partner confirm now reserves its volume again (idempotent per negotiation), and without room the recovery is incomplete:
/// the confirm is given back and the request negotiates afresh.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class RecoveredPartnerConfirmTests(BrokerFixture broker)
{
    [Fact]
    public async Task RecoveredPartnerConfirm_ItsVolumeGivenBackMeanwhile_NotAllocatedBeyondTheContract()
    {
        var world = await broker.CreateWorldAsync(w =>
        {
            var home = w.Member("home", "DE-HH").DataCenter("home-dc", "DE-HH", ProtectionLevel.Normal, Pool("storage.ssd", 10, 0.0001m));
            var partner = w.Partner("p", "DE").DataCenter("pdc", "DE-BE", ProtectionLevel.Normal, Pool("compute.vcpu", 100, 0.02m));
            home.Contract(partner, "compute.vcpu", maxAmount: 10, price: 0.01m);
            w.Tenant("t", home);
        });
        var vcpu = world.Resource("compute.vcpu");
        var (_, first) = await world.RequestAsync("t", world.Body("compute.vcpu", 6));
        Assert.Equal(("allocated", "partner"), (first.State(), first.GetProperty("allocation").GetProperty("tier").GetString()));

        // The interrupted negotiation: its confirm stored at the partner's data center, its intent log stored with the
        // request, its contract volume already given back.
        var requestId = "r-" + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()[..12]);
        var attempt = Guid.NewGuid();
        var lease = broker.Clock.GetUtcNow().AddDays(1);
        var dataCenter = broker.Grains.GetGrain<IDataCenterGrain>(world.Id("pdc"));
        var hold = await dataCenter.OfferAsync(new HoldRequest { RequestId = requestId, Items = [new(vcpu, 6)], Attempt = attempt });
        Assert.True(await dataCenter.ConfirmAsync(hold.Offer!.HoldId, requestId, attempt, lease));
        var parts = new[] { new AllocationPart(world.Id("pdc"), world.Id("p"), Tier.Partner, vcpu, 6, 0.01m) };
        await StoreNegotiatingAsync(world, requestId, new PendingConfirm(world.Id("pdc"), hold.Offer.HoldId, parts, Tier.Partner, world.Id("p"), lease, attempt));

        // Its next activation (a read) recovers: 6 more would take the contract to 12 of 10.
        var decided = await Eventually.ReturnsAsync(() => world.GetAsync("t", requestId), r => r.Body.State() != "negotiating", "the recovered request decided");

        Assert.Equal(("rejected", "no-capacity"), (decided.Body.State(), decided.Body.ReasonCode()));
        var usage = await broker.Grains.GetGrain<IProviderGrain>(world.Id("home")).GetContractUsageAsync();
        Assert.Equal([(world.Id("p"), vcpu, 6L)], usage.Select(u => (u.Partner, u.Resource, u.Used)));
        var pool = await Eventually.ReturnsAsync(() => world.PoolAsync("pdc", "compute.vcpu"), p => p.Allocated == 6, "the recovered confirm given back");
        Assert.Equal((6L, 0L), (pool.Allocated, pool.Held));
    }

    private async Task StoreNegotiatingAsync(World world, string requestId, PendingConfirm pending)
    {
        var rows = new RequestRows(broker.Services.GetRequiredService<IRowStore>(), broker.Services.GetRequiredService<Serializer>(), requestId, broker.Clock);
        await rows.LoadAsync();
        await rows.WriteAsync(
            new RequestRecord
            {
                State = RequestState.Negotiating,
                Tenant = world.Id("t"),
                HomeProvider = world.Id("home"),
                Spec = new RequestSpec { Items = [new(pending.Parts[0].Resource, pending.Parts[0].Amount)] },
                CreatedAt = broker.Clock.GetUtcNow(),
                Pending = [pending],
            },
            []);
    }
}
