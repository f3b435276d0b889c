using static Broker.Tests.Api.ApiExpectations;

namespace Broker.Tests.Api;

/// <summary>A tenant above its rate gets 429 with Retry-After and nothing happens; other tenants and admins go on.</summary>
// A broker of its own: a bucket of 3 calls, refilled by 1 a second.
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
        Assert.InRange(answer.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 2);
        Assert.Equal(0, (await world.PoolAsync("dc", "storage.ssd")).Allocated + (await world.PoolAsync("dc", "storage.ssd")).Held);
        await ExpectAsync(world.Tenant("calm"), HttpMethod.Get, "/v1/requests", null, HttpStatusCode.OK);
        await ExpectAsync(world.Admin("home"), HttpMethod.Get, $"/v1/providers/{world.Id("home")}/datacenters", null, HttpStatusCode.OK);
    }
}
