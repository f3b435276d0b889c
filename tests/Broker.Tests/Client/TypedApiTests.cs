using Broker.Client;
using Broker.Contracts;
using RequestState = Broker.Contracts.RequestState;

namespace Broker.Tests.Client;

/// <summary>Every v1 endpoint through the typed client against a real broker: the records read what the broker writes.</summary>
[Collection(BrokerCollection.Name)]
public sealed class TypedApiTests(BrokerFixture broker)
{
    [Fact]
    public async Task TenantLifecycle_CreateListRenewReleaseBill()
    {
        var world = await CreateWorldAsync();
        using var harness = new ClientHarness(broker.BaseAddress, world.Token("a"), new FaultInjectionHandler());
        var tenant = harness.Client;
        var ssd = world.Resource("storage.ssd");

        var allocated = await tenant.RequestAsync(new CreateRequestBody
        {
            Items = [new ItemBody(ssd, 300)],
            Constraints = new ConstraintsBody { ProtectionLevel = Broker.Contracts.ProtectionLevel.High, Residency = "DE-HH" },
            Lease = "PT2H",
        });
        broker.Clock.Advance(TimeSpan.FromSeconds(1)); // "newest first" needs distinct creation times
        var rejected = await tenant.RequestAsync(new CreateRequestBody { Items = [new ItemBody(ssd, 999_999)] });
        broker.Clock.Advance(TimeSpan.FromSeconds(1));
        var accepted = await tenant.CreateRequestAsync(new CreateRequestBody { Items = [new ItemBody(ssd, 1)] }, respondAsync: true);
        var decided = await tenant.WaitForDecisionAsync(accepted.Id, TimeSpan.FromSeconds(30));

        Assert.Equal(RequestState.Allocated, allocated.State);
        Assert.Equal((Broker.Contracts.Tier.Home, world.Id("home"), 300L), (allocated.Allocation!.Tier, allocated.Allocation.Provider, allocated.Allocation.Parts.Single().Amount));
        Assert.Equal((Broker.Contracts.ProtectionLevel.High, "DE-HH", "PT2H"), (allocated.Request.Constraints.ProtectionLevel, allocated.Request.Constraints.Residency, allocated.Request.Lease));
        Assert.Equal((RequestState.Rejected, Broker.Contracts.RejectionCode.NoCapacity), (rejected.State, rejected.Reason!.Code));
        Assert.Equal(RequestState.Negotiating, accepted.State);
        Assert.Equal(RequestState.Allocated, decided.State);

        var firstPage = await tenant.ListRequestsAsync(limit: 2);
        Assert.Equal([decided.Id, rejected.Id], firstPage.Items.Select(r => r.Id));
        var all = new List<string>();
        await foreach (var request in tenant.ListAllRequestsAsync(RequestState.Allocated))
        {
            all.Add(request.Id);
        }

        Assert.Equal([decided.Id, allocated.Id], all);

        broker.Clock.Advance(TimeSpan.FromMinutes(30) - TimeSpan.FromSeconds(2));
        var renewed = await tenant.RenewRequestAsync(allocated.Id, "PT3H");
        Assert.Equal(broker.Clock.GetUtcNow() + TimeSpan.FromHours(3), renewed.LeaseExpiresAt);
        var released = await tenant.ReleaseRequestAsync(allocated.Id);
        Assert.Equal(RequestState.Released, released.State);
        Assert.Equal(RequestState.Released, (await tenant.ReleaseRequestAsync(allocated.Id)).State);

        var bill = await tenant.GetTenantBillAsync(world.Id("a"), broker.Clock.GetUtcNow().ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture));
        // The released request for its half hour; the one still running (1 unit since its decision 2 s after the
        // first) accrued up to now, as bills show running allocations.
        Assert.Equal(new[] { allocated.Id, decided.Id }.Order(StringComparer.Ordinal), bill.Requests.Select(r => r.RequestId).Order(StringComparer.Ordinal));
        Assert.Equal(Math.Round((300 * 0.0001m * 0.5m) + (1 * 0.0001m * 1_798m / 3_600m), 6, MidpointRounding.ToEven), bill.Total);
    }

    [Fact]
    public async Task CatalogCapacityPoolsAndFederation_ReadAndChangedTyped()
    {
        var world = await CreateWorldAsync();
        using var harness = new ClientHarness(broker.BaseAddress, world.Token("a"), new FaultInjectionHandler());
        var ssd = world.Resource("storage.ssd");
        var admin = harness.Client.As(world.AdminToken("home"));
        var federationAdmin = harness.Client.As(broker.FederationAdminToken);

        var offer = (await harness.Client.GetCatalogAsync()).Resources.Single(r => r.Resource == ssd).Offers.Single();
        Assert.Equal((world.Id("dc"), Broker.Contracts.ProviderKind.Member, 10_000L, 0.0001m), (offer.DataCenter, offer.ProviderKind, offer.Free, offer.PricePerUnitHour));

        var pool = await admin.SetPoolAsync(world.Id("dc"), ssd, new PoolChangeBody { Total = 12_000, Headroom = 500 });
        Assert.Equal((12_000L, 500L, 11_500L), (pool.Total, pool.Headroom, pool.Free));
        var dataCenter = (await admin.GetProviderDataCentersAsync(world.Id("home"))).Single();
        Assert.Equal((world.Id("dc"), "DE-HH"), (dataCenter.Id, dataCenter.Location));

        var newcomer = "newcomer-" + Guid.NewGuid().ToString("N")[..8];
        var version = await federationAdmin.UpsertFederationAsync(new FederationFile
        {
            Tenants = [new TenantEntry { Id = newcomer, HomeProvider = world.Id("home"), Token = "token-" + newcomer }],
        });
        Assert.True(version.Version > 0);
        var asNewcomer = await harness.Client.As("token-" + newcomer).RequestAsync(new CreateRequestBody { Items = [new ItemBody(ssd, 10)] });
        Assert.Equal(RequestState.Allocated, asNewcomer.State);

        // The capacity view is the directory's, refreshed a few times a second.
        var counted = await Eventually.ReturnsAsync(
            async () => (await federationAdmin.GetCapacityAsync()).Providers.Single(p => p.Provider == world.Id("home")).DataCenters.Single().Pools.Single(),
            p => p.Allocated == 10,
            "the directory counts the newcomer's allocation");
        Assert.Equal((12_000L, 10L, 11_490L), (counted.Total, counted.Allocated, counted.Free));
        var statement = await federationAdmin.GetProviderStatementAsync(world.Id("home"));
        Assert.Equal(world.Id("home"), statement.Provider);
        var forbidden = await Assert.ThrowsAsync<BrokerProblemException>(() => harness.Client.SetPoolAsync(world.Id("dc"), ssd, new PoolChangeBody { Total = 1 }));
        Assert.Equal("forbidden", forbidden.Problem.Code);
    }

    [Fact]
    public async Task BillAndStatement_CurrencyAndWhatIsDue_ReadTyped()
    {
        var world = await CreateWorldAsync();
        using var harness = new ClientHarness(broker.BaseAddress, world.Token("a"), new FaultInjectionHandler());
        var allocated = await harness.Client.RequestAsync(new CreateRequestBody { Items = [new ItemBody(world.Resource("storage.ssd"), 300)], Lease = "PT2H" });
        broker.Clock.Advance(TimeSpan.FromMinutes(30));
        await harness.Client.ReleaseRequestAsync(allocated.Id);
        var period = broker.Clock.GetUtcNow().ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);

        var bill = await harness.Client.GetTenantBillAsync(world.Id("a"), period);
        var statement = await harness.Client.As(world.AdminToken("home")).GetProviderStatementAsync(world.Id("home"), period);

        // 300 units × ½ h × 0.0001 EUR = 0.015 EUR; due to the cent, half to even: 0.02 EUR.
        Assert.Equal(("EUR", 0.015m, 0.02m), (bill.Currency, bill.Total, bill.TotalDue));
        Assert.Equal([(allocated.Id, 0.015m)], bill.Requests.Select(r => (r.RequestId, r.Cost)));
        Assert.Equal(("EUR", 0.015m, 0m, 0.015m, 0.02m), (statement.Currency, statement.Charged, statement.ChargedBy, statement.Net, statement.NetDue));
        var line = Assert.Single(statement.Counterparties);
        Assert.Equal((PartyKind.Tenant, world.Id("a"), 0.015m), (line.Counterparty.Kind, line.Counterparty.Id, line.Net));
    }

    [Fact]
    public async Task Reservations_BookReadListCancel_Typed()
    {
        var world = await CreateWorldAsync();
        using var harness = new ClientHarness(broker.BaseAddress, world.Token("a"), new FaultInjectionHandler());
        var tenant = harness.Client;
        var now = broker.Clock.GetUtcNow();
        var window = (Start: Instant(now.AddHours(1)), End: Instant(now.AddDays(1)));
        var body = new CreateReservationBody { Items = [new ItemBody(world.Resource("storage.ssd"), 800)], Start = window.Start, End = window.End };
        var key = BrokerClient.NewIdempotencyKey();

        var confirmed = await tenant.CreateReservationAsync(body, key);
        broker.Clock.Advance(TimeSpan.FromSeconds(1)); // "newest first" needs distinct creation times
        var rejected = await tenant.CreateReservationAsync(body with { Items = [new ItemBody(world.Resource("storage.ssd"), 9_500)] });
        var again = await tenant.CreateReservationAsync(body, key);

        Assert.Equal((ReservationState.Confirmed, Broker.Contracts.Tier.Home, world.Id("dc"), 800L), (confirmed.State, confirmed.Allocation!.Tier, confirmed.Allocation.Parts.Single().DataCenter, confirmed.Allocation.Parts.Single().Amount));
        Assert.Equal((now.AddHours(1), now.AddDays(1)), (confirmed.Start, confirmed.End));
        Assert.Equal((ReservationState.Rejected, Broker.Contracts.RejectionCode.NoCapacity), (rejected.State, rejected.Reason!.Code));
        Assert.Equal(confirmed.Id, again.Id);
        // Records holding arrays compare by reference: the JSON says whether the read is what the booking answered.
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(confirmed, BrokerJsonOptions.Default), System.Text.Json.JsonSerializer.Serialize(await tenant.GetReservationAsync(confirmed.Id), BrokerJsonOptions.Default));
        Assert.Equal([rejected.Id, confirmed.Id], (await tenant.ListReservationsAsync()).Items.Select(r => r.Id));
        Assert.Equal([confirmed.Id], (await tenant.ListReservationsAsync(ReservationState.Confirmed, limit: 10)).Items.Select(r => r.Id));

        var cancelled = await tenant.CancelReservationAsync(confirmed.Id);
        Assert.Equal(ReservationState.Cancelled, cancelled.State);
        Assert.Equal(ReservationState.Cancelled, (await tenant.CancelReservationAsync(confirmed.Id)).State);
        var missing = await Assert.ThrowsAsync<BrokerProblemException>(() => tenant.GetReservationAsync("v-" + new string('0', 24)));
        Assert.Equal("not-found", missing.Problem.Code);
    }

    [Fact]
    public async Task Drain_StartWatchStop_Typed()
    {
        var world = await DrainWorld.CreateAsync(broker);
        using var harness = new ClientHarness(broker.BaseAddress, world.Token("a"), new FaultInjectionHandler());
        var admin = harness.Client.As(world.AdminToken("home"));
        var allocated = await harness.Client.RequestAsync(new CreateRequestBody { Items = [new ItemBody(world.Resource("storage.ssd"), 100)], Lease = "P1D" });
        var from = allocated.Allocation!.Parts.Single().DataCenter;
        var to = from == world.Id("one") ? world.Id("two") : world.Id("one");

        var started = await admin.StartDrainAsync(from, "firmware");
        var drained = await Eventually.ReturnsAsync(() => admin.GetDrainAsync(from), d => d.State == DrainState.Drained, "the drain moved the allocation");
        var moved = await harness.Client.GetRequestAsync(allocated.Id);
        var ended = await admin.StopDrainAsync(from);

        Assert.Equal((from, "firmware"), (started.DataCenter, started.Reason));
        Assert.Contains(started.State, new[] { DrainState.Draining, DrainState.Drained });
        Assert.Equal((1L, 0L, 0), (drained.Moved, drained.Remaining, drained.Stuck.Length));
        Assert.Equal((RequestState.Allocated, to, allocated.LeaseExpiresAt), (moved.State, moved.Allocation!.Parts.Single().DataCenter, moved.LeaseExpiresAt));
        Assert.Equal(DrainState.None, ended.State);
        var forbidden = await Assert.ThrowsAsync<BrokerProblemException>(() => harness.Client.StartDrainAsync(from));
        Assert.Equal("forbidden", forbidden.Problem.Code);
    }

    private static string Instant(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private Task<World> CreateWorldAsync() => broker.CreateWorldAsync(w =>
    {
        var home = w.Member("home", "DE-HH").DataCenter("dc", "DE-HH", Broker.Domain.ProtectionLevel.High, Pool("storage.ssd", 10_000, 0.0001m));
        w.Tenant("a", home);
    });
}
