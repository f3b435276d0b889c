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
    public async Task TrailUnreachable_DecisionStands_EventRecordedOnceOnTheNextCall()
    {
        var world = await _broker.CreateWorldAsync(w =>
        {
            var home = w.Member("home", "DE-HH").DataCenter("dc", "DE-HH", ProtectionLevel.Normal, Pool("storage.ssd", 1_000, 0.0001m));
            w.Tenant("a", home);
        });
        var admin = _broker.Client(_broker.FederationAdminToken);

        _refusing.Refuse = true;
        var (status, decided) = await world.RequestAsync("a", world.Body("storage.ssd", 30));
        var id = decided.GetProperty("id").GetString()!;
        var whileRefused = await EntriesAsync(admin, id);
        _refusing.Refuse = false;
        var (_, again) = await world.GetAsync("a", id);
        var afterwards = await EntriesAsync(admin, id);
        Assert.Equal(HttpStatusCode.OK, (await world.Tenant("a").DeleteAsync($"/v1/requests/{id}")).StatusCode);
        var atTheEnd = await EntriesAsync(admin, id);

        Assert.Equal((HttpStatusCode.Created, "allocated", "allocated"), (status, decided.State(), again.State()));
        Assert.True(_refusing.Refused > 0, "the filter never refused an append: the test proves nothing");
        Assert.Empty(whileRefused);
        Assert.Equal(["request.decided"], afterwards);
        Assert.Equal(["request.released", "request.decided"], atTheEnd);
        Assert.Equal(0, (await world.PoolAsync("dc", "storage.ssd")).Allocated);
    }

    private static async Task<string[]> EntriesAsync(HttpClient admin, string subject)
    {
        var page = await Json.ReadAsync(await admin.GetAsync($"/v1/audit?subject={subject}"));
        return page.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("action").GetString()!).ToArray();
    }

    /// <summary>Fails every append to an audit chain while <see cref="Refuse"/> is set, as an unreachable chain would.</summary>
    private sealed class RefusingAuditChains : IIncomingGrainCallFilter
    {
        public volatile bool Refuse;
        private int _refused;

        public int Refused => _refused;

        public Task Invoke(IIncomingGrainCallContext context)
        {
            if (Refuse && context.Grain is IAuditChainGrain && context.MethodName == nameof(IAuditChainGrain.AppendAsync))
            {
                Interlocked.Increment(ref _refused);
                throw new TimeoutException("the audit chain is unreachable (injected by the test)");
            }

            return context.Invoke();
        }
    }
}
