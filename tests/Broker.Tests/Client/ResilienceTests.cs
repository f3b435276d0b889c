using Broker.Client;
using Broker.Contracts;
using Polly.CircuitBreaker;
using RequestState = Broker.Contracts.RequestState;

namespace Broker.Tests.Client;

/// <summary>
/// The client's retries against a real broker: lost answers, overload and failures are retried with the
/// same idempotency key and never allocate twice; answers that are the caller's fault are not retried.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class ResilienceTests(BrokerFixture broker)
{
    [Fact]
    public async Task LostResponses_RetriedWithTheSameKey_AllocatedExactlyOnce()
    {
        var world = await CreateWorldAsync();
        using var harness = new ClientHarness(broker.BaseAddress, world.Token("a"), new FaultInjectionHandler(new Fault.LoseResponse(), new Fault.LoseResponse()));

        var request = await harness.Client.RequestAsync(Ask(world, 700));

        Assert.Equal(RequestState.Allocated, request.State);
        var attempts = harness.Faults.Attempts;
        Assert.Equal(3, attempts.Count);
        Assert.Single(attempts.Select(a => a.IdempotencyKey).Distinct());
        Assert.NotNull(attempts[0].IdempotencyKey);
        Assert.Equal(700, (await world.PoolAsync("dc", "storage.ssd")).Allocated);
        var own = await harness.Client.ListRequestsAsync();
        Assert.Equal([request.Id], own.Items.Select(r => r.Id));
    }

    [Fact]
    public async Task LostResponses_RetriedWithFreshKeys_WouldAllocateOncePerAttempt()
    {
        // The control for the test above: the same faults without a stable key do allocate three times.
        var world = await CreateWorldAsync();
        var faults = new FaultInjectionHandler(new Fault.LoseResponse(), new Fault.LoseResponse()) { RewriteIdempotencyKey = true };
        using var harness = new ClientHarness(broker.BaseAddress, world.Token("a"), faults);

        await harness.Client.RequestAsync(Ask(world, 700));

        Assert.Equal(3, harness.Faults.Attempts.Select(a => a.IdempotencyKey).Distinct().Count());
        Assert.Equal(2100, (await world.PoolAsync("dc", "storage.ssd")).Allocated);
    }

    [Theory]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.TooManyRequests)]
    public async Task OverloadWithRetryAfter_WaitsThatLongThenRetries(HttpStatusCode status)
    {
        var world = await CreateWorldAsync();
        using var harness = new ClientHarness(broker.BaseAddress, world.Token("a"), new FaultInjectionHandler(new Fault.Answer(status, RetryAfterSeconds: 1)));

        var request = await harness.Client.RequestAsync(Ask(world, 5));

        Assert.Equal(RequestState.Allocated, request.State);
        var attempts = harness.Faults.Attempts;
        Assert.Equal(2, attempts.Count);
        // Without the header the backoff would be ~10-20 ms.
        Assert.InRange((attempts[1].At - attempts[0].At).TotalSeconds, 0.99, 5);
        Assert.Equal(attempts[0].IdempotencyKey, attempts[1].IdempotencyKey);
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.GatewayTimeout)]
    public async Task ServerFailures_Retried(HttpStatusCode status)
    {
        var world = await CreateWorldAsync();
        using var harness = new ClientHarness(broker.BaseAddress, world.Token("a"), new FaultInjectionHandler(new Fault.Answer(status), new Fault.Answer(status)));

        var request = await harness.Client.RequestAsync(Ask(world, 5));

        Assert.Equal(RequestState.Allocated, request.State);
        Assert.Equal(3, harness.Faults.Attempts.Count);
        Assert.Equal(5, (await world.PoolAsync("dc", "storage.ssd")).Allocated);
    }

    [Fact]
    public async Task NotImplemented_NotRetried()
    {
        var world = await CreateWorldAsync();
        using var harness = new ClientHarness(broker.BaseAddress, world.Token("a"), new FaultInjectionHandler(new Fault.Answer(HttpStatusCode.NotImplemented)));

        var error = await Assert.ThrowsAsync<BrokerProblemException>(() => harness.Client.RequestAsync(Ask(world, 5)));

        Assert.Equal(HttpStatusCode.NotImplemented, error.Status);
        Assert.Single(harness.Faults.Attempts);
        Assert.Equal(0, (await world.PoolAsync("dc", "storage.ssd")).Allocated);
    }

    [Fact]
    public async Task CallersMistake_NotRetried_ProblemWithCodeAndFields()
    {
        var world = await CreateWorldAsync();
        using var harness = new ClientHarness(broker.BaseAddress, world.Token("a"), new FaultInjectionHandler());

        var error = await Assert.ThrowsAsync<BrokerProblemException>(() => harness.Client.RequestAsync(Ask(world, -3)));

        Assert.Equal(HttpStatusCode.BadRequest, error.Status);
        Assert.Equal("invalid-request", error.Problem.Code);
        Assert.Equal(["items[0].amount"], error.Problem.Errors!.Keys);
        Assert.Single(harness.Faults.Attempts);
    }

    [Fact]
    public async Task UnknownToken_Unauthenticated_NotRetried()
    {
        var world = await CreateWorldAsync();
        using var harness = new ClientHarness(broker.BaseAddress, "nobody-" + Guid.NewGuid().ToString("N"), new FaultInjectionHandler());

        var error = await Assert.ThrowsAsync<BrokerProblemException>(() => harness.Client.RequestAsync(Ask(world, 5)));

        Assert.Equal("unauthenticated", error.Problem.Code);
        Assert.Single(harness.Faults.Attempts);
    }

    [Fact]
    public async Task PersistentFailures_GiveUpAsUnavailable_ThenTheCircuitOpens()
    {
        var world = await CreateWorldAsync();
        var faults = new FaultInjectionHandler(new Fault.Answer(HttpStatusCode.ServiceUnavailable)) { RepeatLastFault = true };
        using var harness = new ClientHarness(broker.BaseAddress, world.Token("a"), faults, options =>
        {
            options.MaxRetries = 2;
            options.BreakerMinimumThroughput = 3;
            options.BreakerBreakDuration = TimeSpan.FromSeconds(30);
        });

        var first = await Assert.ThrowsAsync<BrokerUnavailableException>(() => harness.Client.RequestAsync(Ask(world, 5)));
        Assert.Equal(503, first.Problem!.Status);
        Assert.Equal(3, faults.Attempts.Count);

        // Three failed attempts opened the circuit: the next call fails at once, without reaching the network.
        var second = await Assert.ThrowsAsync<BrokerUnavailableException>(() => harness.Client.GetCatalogAsync());
        Assert.IsType<BrokenCircuitException>(second.InnerException);
        Assert.Equal(3, faults.Attempts.Count);
    }

    [Fact]
    public async Task UnreachableBroker_RetriedThenUnavailable()
    {
        var nobodyListens = new Uri($"http://127.0.0.1:{FreePorts.Take(1)[0]}");
        using var harness = new ClientHarness(nobodyListens, "any", new FaultInjectionHandler(), options => options.MaxRetries = 2);

        var error = await Assert.ThrowsAsync<BrokerUnavailableException>(() => harness.Client.GetCatalogAsync());

        Assert.IsType<HttpRequestException>(error.InnerException);
        Assert.Equal(3, harness.Faults.Attempts.Count);
    }

    private static CreateRequestBody Ask(World world, long amount) => new() { Items = [new ItemBody(world.Resource("storage.ssd"), amount)] };

    private Task<World> CreateWorldAsync() => broker.CreateWorldAsync(w =>
    {
        var home = w.Member("home", "DE-HH").DataCenter("dc", "DE-HH", Broker.Domain.ProtectionLevel.Normal, Pool("storage.ssd", 10_000, 0.0001m));
        w.Tenant("a", home);
    });
}
