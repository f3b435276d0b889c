using static Broker.Tests.Api.ApiExpectations;

namespace Broker.Tests.Api;

/// <summary>A tenant above its rate gets 429 with Retry-After and nothing happens; other tenants and admins go on.</summary>
// A broker of its own: a bucket of 3 calls, refilled by 1 a second of the broker's (injected) clock, which only the
// test moves: the wall clock cannot refill the bucket between the calls, however slow the machine.
public sealed class RateLimitTests() : OwnBroker("--Broker:RateLimit:Burst", "3", "--Broker:RateLimit:PermitsPerSecond", "1")
{
    [Fact]
    public async Task TenantAboveItsRate_429RateLimitedWithRetryAfter_NothingAllocated_OthersUnaffected()
    {
        var world = await OneProviderWorldAsync("busy", "calm");

        for (var i = 0; i < 3; i++)
        {
            await ExpectAsync(world.Tenant("busy"), HttpMethod.Get, "/v1/requests", null, HttpStatusCode.OK);
        }

        using var refused = new HttpRequestMessage(HttpMethod.Post, "/v1/requests") { Content = Json.Content(world.Body("storage.ssd", 5)) };
        using var answer = await world.Tenant("busy").SendAsync(refused);
        var problem = await Json.ReadAsync(answer);

        Assert.Equal(HttpStatusCode.TooManyRequests, answer.StatusCode);
        Assert.Equal("rate-limited", problem.Code());
        Assert.Equal(TimeSpan.FromSeconds(1), answer.Headers.RetryAfter!.Delta);
        Assert.Equal(0, (await world.PoolAsync("dc", "storage.ssd")).Allocated + (await world.PoolAsync("dc", "storage.ssd")).Held);
        await ExpectAsync(world.Tenant("calm"), HttpMethod.Get, "/v1/requests", null, HttpStatusCode.OK);
        await ExpectAsync(world.Admin("home"), HttpMethod.Get, $"/v1/providers/{world.Id("home")}/datacenters", null, HttpStatusCode.OK);
    }

    [Fact]
    public async Task Refill_FollowsTheBrokersClock_OneCallPerSecondOfIt()
    {
        var world = await OneProviderWorldAsync("busy");
        for (var i = 0; i < 3; i++)
        {
            await ExpectAsync(world.Tenant("busy"), HttpMethod.Get, "/v1/requests", null, HttpStatusCode.OK);
        }

        await ExpectAsync(world.Tenant("busy"), HttpMethod.Get, "/v1/requests", null, HttpStatusCode.TooManyRequests, "rate-limited");
        Broker.Clock.Advance(TimeSpan.FromMilliseconds(999));
        await ExpectAsync(world.Tenant("busy"), HttpMethod.Get, "/v1/requests", null, HttpStatusCode.TooManyRequests, "rate-limited");

        // One second of the broker's clock: one more call, no more.
        Broker.Clock.Advance(TimeSpan.FromMilliseconds(1));
        await ExpectAsync(world.Tenant("busy"), HttpMethod.Get, "/v1/requests", null, HttpStatusCode.OK);
        await ExpectAsync(world.Tenant("busy"), HttpMethod.Get, "/v1/requests", null, HttpStatusCode.TooManyRequests, "rate-limited");

        // A long quiet spell fills the bucket to its burst, not beyond.
        Broker.Clock.Advance(TimeSpan.FromHours(1));
        for (var i = 0; i < 3; i++)
        {
            await ExpectAsync(world.Tenant("busy"), HttpMethod.Get, "/v1/requests", null, HttpStatusCode.OK);
        }

        await ExpectAsync(world.Tenant("busy"), HttpMethod.Get, "/v1/requests", null, HttpStatusCode.TooManyRequests, "rate-limited");
    }
}
