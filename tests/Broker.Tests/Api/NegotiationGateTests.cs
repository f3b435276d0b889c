using Broker.Grains.Tenants;
using Microsoft.Extensions.DependencyInjection;
using static Broker.Tests.Api.ApiExpectations;

namespace Broker.Tests.Api;

/// <summary>A tenant with as many requests negotiating as it may gets 429 and nothing is recorded; a decided request leaves room.</summary>
public sealed class NegotiationGateTests() : OwnBroker("--Broker:Negotiation:MaxInFlightPerTenant", "2")
{
    [Fact]
    public async Task TenantAtItsCap_429TooManyNegotiations_NothingRecorded_RoomAgainOnceOneIsDecided()
    {
        var world = await OneProviderWorldAsync("a");
        var gate = Broker.Services.GetRequiredService<NegotiationGate>();
        var tenant = world.Id("a");
        // Two negotiations of the tenant in flight on this silo (stand-ins: real ones end within milliseconds).
        Assert.True(gate.TryEnter(tenant, 2));
        Assert.True(gate.TryEnter(tenant, 2));

        using var refused = new HttpRequestMessage(HttpMethod.Post, "/v1/requests") { Content = Json.Content(world.Body("storage.ssd", 5)) };
        using var answer = await world.Tenant("a").SendAsync(refused);

        Assert.Equal(HttpStatusCode.TooManyRequests, answer.StatusCode);
        Assert.Equal("too-many-negotiations", (await Json.ReadAsync(answer)).Code());
        Assert.Equal(TimeSpan.FromSeconds(1), answer.Headers.RetryAfter!.Delta);
        Assert.Equal(0, (await ExpectAsync(world.Tenant("a"), HttpMethod.Get, "/v1/requests", null, HttpStatusCode.OK)).GetProperty("items").GetArrayLength());
        Assert.Equal(0, (await world.PoolAsync("dc", "storage.ssd")).Allocated);

        gate.Leave(tenant);
        var (status, request) = await world.RequestAsync("a", world.Body("storage.ssd", 5));

        Assert.Equal((HttpStatusCode.Created, "allocated"), (status, request.State()));
        Assert.Equal(1, gate.Count(tenant));
    }
}
