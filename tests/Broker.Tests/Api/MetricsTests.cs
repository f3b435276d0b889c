using Broker.DataCenters;
using Broker.Grains.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Core.Internal;

namespace Broker.Tests.Api;

/// <summary>
/// <c>/metrics</c> scraped over HTTP from a real broker: who may scrape it, and the broker's instruments read as exact
/// numbers against what the test did. Each test has a broker of its own, so every decision and allocation in its scrape
/// is the test's; the periodic timer of its data centers runs every second, so a lease ends while nobody asks.
/// </summary>
public sealed class MetricsTests() : OwnBroker("--Broker:Directory:RepublishInterval", "00:00:01")
{
    private const string Decisions = "broker_decisions_total";
    private const string Live = "broker_allocations_live";
    private const string Utilisation = "broker_pool_utilisation_ratio";

    [Fact]
    public async Task Scrape_ByDefault_OnlyTheFederationAdmin_OthersRefused()
    {
        var world = await OneProviderWorldAsync("t");

        using var anonymous = await Broker.Client().GetAsync("/metrics");
        using var unknown = await Broker.Client("unknown-" + Guid.NewGuid().ToString("N")).GetAsync("/metrics");
        using var tenant = await world.Tenant("t").GetAsync("/metrics");
        using var providerAdmin = await world.Admin("home").GetAsync("/metrics");
        using var admin = await Broker.Client(Broker.FederationAdminToken).GetAsync("/metrics");

        Assert.Equal(
            [HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.OK],
            [anonymous.StatusCode, unknown.StatusCode, tenant.StatusCode, providerAdmin.StatusCode, admin.StatusCode]);
        Assert.Equal("unauthenticated", (await Json.ReadAsync(anonymous)).Code());
        MetricsScrape.AssertPrometheusText(admin.Content.Headers.ContentType);
        Assert.Equal("gauge", PrometheusText.Parse(await admin.Content.ReadAsStringAsync()).TypeOf("target_info"));
    }

    [Fact]
    public async Task Decisions_CountedByOutcomeAndTier_WithTheirDurationsAndAuditAppends()
    {
        var world = await TwoMemberWorldAsync();
        var admin = Broker.Client(Broker.FederationAdminToken);
        var before = await admin.ScrapeAsync();

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("home", (await world.RequestAsync("t", world.Body("storage.ssd", 100))).Body.Tier());
        }

        Assert.Equal("federation", (await world.RequestAsync("t", world.Body("storage.ssd", 600))).Body.Tier());
        Assert.Equal("unsatisfiable", (await world.RequestAsync("t", world.Body("storage.ssd", 10, new { protectionLevel = "very-high" }))).Body.ReasonCode());
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal("no-capacity", (await world.RequestAsync("t", world.Body("storage.ssd", 6_000))).Body.ReasonCode());
        }

        var after = await admin.ScrapeAsync();

        Assert.Equal("counter", after.TypeOf(Decisions));
        Assert.Equal(3, Rise(before, after, Decisions, ("outcome", "allocated"), ("tier", "home")));
        Assert.Equal(1, Rise(before, after, Decisions, ("outcome", "allocated"), ("tier", "federation")));
        Assert.Equal(0, Rise(before, after, Decisions, ("outcome", "allocated"), ("tier", "partner")));
        Assert.Equal(1, Rise(before, after, Decisions, ("outcome", "unsatisfiable"), ("tier", "none")));
        Assert.Equal(2, Rise(before, after, Decisions, ("outcome", "no-capacity"), ("tier", "none")));
        Assert.Equal(7, after.Matching(Decisions).Sum(s => s.Value) - before.Matching(Decisions).Sum(s => s.Value));

        // Every decision was taken on this silo from its submission, and each put one event in the audit trail.
        Assert.Equal("histogram", after.TypeOf("broker_decision_duration_seconds"));
        Assert.Equal(7, Rise(before, after, "broker_decision_duration_seconds_count"));
        Assert.True(Rise(before, after, "broker_decision_duration_seconds_sum") > 0);
        Assert.Equal("histogram", after.TypeOf("broker_audit_append_duration_seconds"));
        Assert.Equal(7, Rise(before, after, "broker_audit_append_duration_seconds_count"));
    }

    [Fact]
    public async Task LiveAllocations_UpWithEachAllocation_DownWithARelease_AndALeaseEnd()
    {
        var world = await TwoMemberWorldAsync();
        var admin = Broker.Client(Broker.FederationAdminToken);
        Assert.Equal(0, (await admin.ScrapeAsync()).ValueOrZero(Live));

        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await world.RequestAsync("t", world.Body("storage.ssd", 100))).Body.GetProperty("id").GetString()!);
        }

        var expiring = await world.RequestAsync("t", world.Body("storage.ssd", 100, lease: "PT1H"));
        Assert.Equal("allocated", expiring.Body.State());
        var rejected = await world.RequestAsync("t", world.Body("storage.ssd", 6_000));
        Assert.Equal("rejected", rejected.Body.State());

        var allocated = await admin.ScrapeAsync();
        Assert.Equal("gauge", allocated.TypeOf(Live));
        Assert.Equal(4, allocated.Value(Live));

        (await world.Tenant("t").DeleteAsync($"/v1/requests/{ids[0]}")).EnsureSuccessStatusCode();
        Assert.Equal(3, (await admin.ScrapeAsync()).Value(Live));

        // The data center's own schedule ends the lease (its timer, the broker's moved clock): one fewer, nobody asked.
        Broker.Clock.Advance(TimeSpan.FromHours(2));
        await Eventually.ReturnsAsync(async () => (await admin.ScrapeAsync()).Value(Live), live => live == 2, "the ended lease no longer live");
    }

    [Fact]
    public async Task LiveAllocations_DataCenterLeavesMemoryAndComesBack_CountedOnce()
    {
        var world = await TwoMemberWorldAsync();
        var admin = Broker.Client(Broker.FederationAdminToken);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("home", (await world.RequestAsync("t", world.Body("storage.ssd", 100))).Body.Tier());
        }

        Assert.Equal(3, (await admin.ScrapeAsync()).Value(Live));

        await Broker.Grains.GetGrain<IDataCenterGrain>(world.Id("dc")).AsReference<IGrainManagementExtension>().DeactivateOnIdle();
        await Eventually.ReturnsAsync(async () => (await admin.ScrapeAsync()).Value(Live), live => live == 0, "the deactivated data center's allocations no longer counted here");

        // Any call brings it back from storage, with its three allocations: three again, not six.
        Assert.Equal(300, (await world.PoolAsync("dc", "storage.ssd")).Allocated);
        Assert.Equal(3, (await admin.ScrapeAsync()).Value(Live));
    }

    [Fact]
    public async Task PoolUtilisation_AllocatedOverCapacity_PerDataCenterAndResource()
    {
        var world = await TwoMemberWorldAsync();
        var admin = Broker.Client(Broker.FederationAdminToken);
        var home = new[] { ("data_center", world.Id("dc")), ("resource", world.Resource("storage.ssd")) };
        var other = new[] { ("data_center", world.Id("odc")), ("resource", world.Resource("storage.ssd")) };
        Assert.Equal("gauge", (await admin.ScrapeAsync()).TypeOf(Utilisation));

        var first = (await world.RequestAsync("t", world.Body("storage.ssd", 100))).Body.GetProperty("id").GetString()!;
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal("home", (await world.RequestAsync("t", world.Body("storage.ssd", 100))).Body.Tier());
        }

        Assert.Equal("federation", (await world.RequestAsync("t", world.Body("storage.ssd", 600))).Body.Tier());

        // The directory's copy follows the data centers within a refresh interval. Capacity: floor(1,000 × 0.8) and 5,000.
        var scrape = await Eventually.ReturnsAsync(
            admin.ScrapeAsync, s => s.Value(Utilisation, home) == 300.0 / 800 && s.Value(Utilisation, other) == 600.0 / 5_000, "utilisation of both pools");
        Assert.Equal(2, scrape.Matching(Utilisation, ("resource", world.Resource("storage.ssd"))).Count);

        (await world.Tenant("t").DeleteAsync($"/v1/requests/{first}")).EnsureSuccessStatusCode();
        await Eventually.ReturnsAsync(async () => (await admin.ScrapeAsync()).Value(Utilisation, home), ratio => ratio == 200.0 / 800, "utilisation after the release");
    }

    [Fact]
    public async Task StorageBatchSize_ExportedUnderItsPrometheusName()
    {
        // The in-memory store does not batch; a PostgreSQL flush records its size (PostgresRowStoreTests). Here: the name.
        var admin = Broker.Client(Broker.FederationAdminToken);
        var metrics = Broker.Services.GetRequiredService<BrokerMetrics>();
        metrics.StorageFlushed(3);
        metrics.StorageFlushed(40);

        var scrape = await admin.ScrapeAsync();

        Assert.Equal("histogram", scrape.TypeOf("broker_storage_batch_size"));
        Assert.Equal((2, 43), (scrape.Value("broker_storage_batch_size_count"), scrape.Value("broker_storage_batch_size_sum")));
        Assert.Equal(1, scrape.Value("broker_storage_batch_size_bucket", ("le", "5")));
        Assert.Equal(2, scrape.Value("broker_storage_batch_size_bucket", ("le", "50")));
    }

    [Fact]
    public async Task FrameworkMeters_OrleansAndAspNetCore_Exported()
    {
        var world = await TwoMemberWorldAsync();
        var admin = Broker.Client(Broker.FederationAdminToken);
        var route = new[] { ("http_route", "/v1/requests/"), ("http_request_method", "POST") };
        var before = await admin.ScrapeAsync();

        for (var i = 0; i < 5; i++)
        {
            await world.RequestAsync("t", world.Body("storage.ssd", 10));
        }

        var after = await admin.ScrapeAsync();

        // ASP.NET Core's request durations, of this broker's requests only (the test process runs other brokers too).
        Assert.Equal("histogram", after.TypeOf("http_server_request_duration_seconds"));
        Assert.Equal(5, after.Matching("http_server_request_duration_seconds_count", route).Sum(s => s.Value) - before.Matching("http_server_request_duration_seconds_count", route).Sum(s => s.Value));
        Assert.Equal("gauge", after.TypeOf("kestrel_active_connections"));

        // Orleans' own meter: the world's two data center grains are active on this silo.
        Assert.Equal("gauge", after.TypeOf("orleans_catalog_activations"));
        Assert.Equal(2, after.Value("orleans_catalog_activations", ("grain_type", "datacenter")));
        Assert.Equal("counter", after.TypeOf("dotnet_gc_collections_total"));
    }

    [Fact]
    public async Task AnotherBrokerInTheSameProcess_ItsFiguresStayOutOfThisScrape()
    {
        var world = await TwoMemberWorldAsync();
        var admin = Broker.Client(Broker.FederationAdminToken);
        Assert.Equal("allocated", (await world.RequestAsync("t", world.Body("storage.ssd", 100))).Body.State());
        var before = await admin.ScrapeAsync();

        var neighbour = new BrokerFixture();
        await neighbour.InitializeAsync();
        try
        {
            var elsewhere = await neighbour.CreateWorldAsync(w => w.Tenant("n", w.Member("home", "DE-HH").DataCenter("dc", "DE-HH", ProtectionLevel.Normal, Pool("storage.ssd", 100, 0.0001m))));
            for (var i = 0; i < 3; i++)
            {
                Assert.Equal("allocated", (await elsewhere.RequestAsync("n", elsewhere.Body("storage.ssd", 1))).Body.State());
            }

            var after = await admin.ScrapeAsync();
            var neighbours = await neighbour.Client(neighbour.FederationAdminToken).ScrapeAsync();

            Assert.Equal((1, 1), (after.Value(Decisions, ("outcome", "allocated")), after.Value(Live)));
            Assert.Equal(0, Rise(before, after, "http_server_request_duration_seconds_count", ("http_route", "/v1/requests/"), ("http_request_method", "POST")));
            Assert.Single(after.Matching("orleans_catalog_activations", ("grain_type", "federation")));
            Assert.Equal((3, 3), (neighbours.Value(Decisions, ("outcome", "allocated")), neighbours.Value(Live)));
        }
        finally
        {
            await neighbour.DisposeAsync();
        }
    }

    private static double Rise(PrometheusText before, PrometheusText after, string name, params (string, string)[] labels) =>
        after.ValueOrZero(name, labels) - before.ValueOrZero(name, labels);

    /// <summary>
    /// Home ("dc": 1,000 units at ratio 0.8, so 800 to give) and another member ("odc": 5,000) in the same region:
    /// 100s land at home, 600 beside 300 goes to the other member, 6,000 fits nowhere, "very-high" nobody offers.
    /// </summary>
    private Task<World> TwoMemberWorldAsync() => Broker.CreateWorldAsync(w =>
    {
        var home = w.Member("home", "DE-HH").DataCenter("dc", "DE-HH", ProtectionLevel.Normal, Pool("storage.ssd", 1_000, 0.0001m, ratio: 0.8));
        w.Member("other", "DE-HH").DataCenter("odc", "DE-HH", ProtectionLevel.Normal, Pool("storage.ssd", 5_000, 0.0001m));
        w.Tenant("t", home);
    });
}
