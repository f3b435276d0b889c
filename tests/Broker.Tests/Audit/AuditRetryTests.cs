using Broker.Audit;
using Microsoft.Extensions.DependencyInjection;

namespace Broker.Tests.Audit;

/// <summary>
/// When the trail cannot be reached, a decision still stands, and its audit event — stored with the decision —
/// is sent again on the request's next call and recorded exactly once. A broker of its own whose audit chains
/// refuse appends while the test says so.
/// </summary>
public sealed class AuditRetryTests : IAsyncLifetime
{
    private readonly RefusingAuditChains _refusing = new();
    private readonly BrokerFixture _broker;

    public AuditRetryTests() => _broker = new BrokerFixture { ExtraServices = services => services.AddSingleton<IIncomingGrainCallFilter>(_refusing) };

    public Task InitializeAsync() => _broker.InitializeAsync();

    public Task DisposeAsync() => _broker.DisposeAsync();

    [Fact]
    public async Task TrailUnreachable_ChangesStand_EachEventRecordedOnceWhenTheOwnerNextActs()
    {
        var world = await _broker.CreateWorldAsync(w =>
        {
            var home = w.Member("home", "DE-HH").DataCenter("dc", "DE-HH", ProtectionLevel.Normal, Pool("storage.ssd", 1_000, 0.0001m));
            w.Tenant("a", home);
        });
        var admin = _broker.Client(_broker.FederationAdminToken);
        var pool = $"/v1/datacenters/{world.Id("dc")}/pools/{world.Resource("storage.ssd")}";
        var poolSubject = $"{world.Id("dc")}/{world.Resource("storage.ssd")}";
        var newTenant = "late-" + Guid.NewGuid().ToString("N")[..8];

        _refusing.Refuse = true;
        var (status, decided) = await world.RequestAsync("a", world.Body("storage.ssd", 30));
        var id = decided.GetProperty("id").GetString()!;
        using var grown = await world.Admin("home").PutAsync(pool, Json.Content(new { total = 2_000 }));
        using var upserted = await admin.PutAsync("/v1/federation", Json.Content(new { tenants = new[] { new { id = newTenant, homeProvider = world.Id("home"), token = newTenant } } }));
        var whileRefused = (await ActionsAsync(admin, $"subject={id}")).Concat(await ActionsAsync(admin, $"subject={poolSubject}")).Concat(await UpsertsNamingAsync(admin, newTenant));
        _refusing.Refuse = false;
        var (_, again) = await world.GetAsync("a", id);
        var requestAfterwards = await ActionsAsync(admin, $"subject={id}");
        using var grownAgain = await world.Admin("home").PutAsync(pool, Json.Content(new { total = 2_100 }));
        var poolAfterwards = await DetailsAsync(admin, $"subject={poolSubject}");
        var upsertAfterwards = await Eventually.ReturnsAsync(() => UpsertsNamingAsync(admin, newTenant), u => u.Length > 0, "the upsert's entry sent again by the federation grain");
        Assert.Equal(HttpStatusCode.OK, (await world.Tenant("a").DeleteAsync($"/v1/requests/{id}")).StatusCode);

        Assert.Equal((HttpStatusCode.Created, "allocated", "allocated"), (status, decided.State(), again.State()));
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK), (grown.StatusCode, upserted.StatusCode, grownAgain.StatusCode));
        Assert.True(_refusing.Refused >= 3, $"the filter refused {_refusing.Refused} appends: the test proves nothing");
        Assert.Empty(whileRefused);
        Assert.Equal(["request.decided"], requestAfterwards);
        Assert.Equal(["total 2100, headroom unchanged, price unchanged/unit-hour", "total 2000, headroom unchanged, price unchanged/unit-hour"], poolAfterwards);
        Assert.Single(upsertAfterwards);
        Assert.Equal(["request.released", "request.decided"], await ActionsAsync(admin, $"subject={id}"));
    }

    private static async Task<string[]> ActionsAsync(HttpClient admin, string query) => (await ListAsync(admin, query)).Select(e => e.GetProperty("action").GetString()!).ToArray();

    private static async Task<string[]> DetailsAsync(HttpClient admin, string query) => (await ListAsync(admin, query)).Select(e => e.GetProperty("detail").GetString()!).ToArray();

    private static async Task<string[]> UpsertsNamingAsync(HttpClient admin, string tenant) =>
        (await DetailsAsync(admin, "action=federation.upserted")).Where(d => d.Contains(tenant, StringComparison.Ordinal)).ToArray();

    private static async Task<System.Text.Json.JsonElement[]> ListAsync(HttpClient admin, string query)
    {
        var page = await Json.ReadAsync(await admin.GetAsync($"/v1/audit?{query}"));
        return page.GetProperty("items").EnumerateArray().ToArray();
    }

    /// <summary>Fails every append to an audit chain while <see cref="Refuse"/> is set, as an unreachable chain would.</summary>
    private sealed class RefusingAuditChains : IIncomingGrainCallFilter
    {
        public volatile bool Refuse;
        private int _refused;

        public int Refused => _refused;

        public Task Invoke(IIncomingGrainCallContext context)
        {
            if (Refuse && context.Grain is IAuditChainGrain && context.MethodName is nameof(IAuditChainGrain.AppendAsync) or nameof(IAuditChainGrain.AppendAgainAsync))
            {
                Interlocked.Increment(ref _refused);
                throw new TimeoutException("the audit chain is unreachable (injected by the test)");
            }

            return context.Invoke();
        }
    }
}
