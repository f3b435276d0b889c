
namespace Broker.Tests.Requests;

/// <summary>Idempotency keys: a retry never allocates twice; a reused key for another body is a conflict; keys are per tenant.</summary>
[Collection(BrokerCollection.Name)]
public sealed class IdempotencyTests(BrokerFixture broker)
{
    [Fact]
    public async Task Submit_SameKeySameBodyTwice_OneAllocationAnd200()
    {
        var world = await CreateWorldAsync();
        var key = Guid.NewGuid().ToString();

        var (firstStatus, first) = await world.RequestAsync("a", world.Body("storage.ssd", 100), key);
        var (secondStatus, second) = await world.RequestAsync("a", world.Body("storage.ssd", 100), key);

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.OK), (firstStatus, secondStatus));
        Assert.Equal(first.GetProperty("id").GetString(), second.GetProperty("id").GetString());
        Assert.Equal("allocated", second.State());
        Assert.Equal(100, (await world.PoolAsync("dc", "storage.ssd")).Allocated);
    }

    [Fact]
    public async Task Submit_SameKeyConcurrently_StillOneAllocation()
    {
        var world = await CreateWorldAsync();
        var key = Guid.NewGuid().ToString();

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => world.RequestAsync("a", world.Body("storage.ssd", 10), key)));

        Assert.Single(results.Select(r => r.Body.GetProperty("id").GetString()).Distinct());
        Assert.Equal(1, results.Count(r => r.Status == HttpStatusCode.Created));
        Assert.Equal(19, results.Count(r => r.Status == HttpStatusCode.OK));
        Assert.Equal(10, (await world.PoolAsync("dc", "storage.ssd")).Allocated);
    }

    [Fact]
    public async Task Submit_SameKeyDifferentBody_409AndNothingChanges()
    {
        var world = await CreateWorldAsync();
        var key = Guid.NewGuid().ToString();
        await world.RequestAsync("a", world.Body("storage.ssd", 100), key);

        var (status, problem) = await world.RequestAsync("a", world.Body("storage.ssd", 200), key);

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("idempotency-key-reused", problem.Code());
        Assert.Equal(100, (await world.PoolAsync("dc", "storage.ssd")).Allocated);
    }

    [Fact]
    public async Task Submit_TwoTenantsSameKey_TwoRequests()
    {
        var world = await CreateWorldAsync();
        var key = Guid.NewGuid().ToString();

        var (statusA, a) = await world.RequestAsync("a", world.Body("storage.ssd", 100), key);
        var (statusB, b) = await world.RequestAsync("b", world.Body("storage.ssd", 100), key);

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (statusA, statusB));
        Assert.NotEqual(a.GetProperty("id").GetString(), b.GetProperty("id").GetString());
        Assert.Equal(200, (await world.PoolAsync("dc", "storage.ssd")).Allocated);
    }

    private Task<World> CreateWorldAsync() => broker.CreateWorldAsync(w =>
    {
        var home = w.Member("home", "DE-HH").DataCenter("dc", "DE-HH", ProtectionLevel.Normal, Pool("storage.ssd", 10_000, 0.0001m));
        w.Tenant("a", home);
        w.Tenant("b", home);
    });
}
