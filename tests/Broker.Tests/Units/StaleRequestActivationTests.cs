using Broker.Grains.Requests;
using Broker.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Serialization;

namespace Broker.Tests.Units;

/// <summary>
/// The fault run saw a request released through one silo read "allocated" through another: a silo that had been cut
/// off answered from the memory of its old activation while the cluster had moved on. An activation answers from
/// memory only while what it last read or wrote is fresh; older than that, it looks at what is stored first.
/// </summary>
public sealed class StaleRequestActivationTests
{
    private static readonly Serializer Serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();

    [Fact]
    public async Task NewerStored_AnotherActivationWroteSince_SeenOnceMemoryIsNoLongerFresh()
    {
        var store = new MemoryRowStore();
        var clock = new FakeTimeProvider();
        var id = "r-" + Guid.NewGuid().ToString("N")[..24];
        var cutOff = new RequestRows(store, Serializer, id, clock);
        await cutOff.LoadAsync();
        await cutOff.WriteAsync(Record(RequestState.Allocated), []);
        var successor = new RequestRows(store, Serializer, id, clock);
        await successor.LoadAsync();
        await successor.WriteAsync(Record(RequestState.Released), []);

        var whileFresh = await cutOff.NewerStoredAsync();
        clock.Advance(GuardedRow.FreshFor);
        var afterwards = await cutOff.NewerStoredAsync();
        var successorSees = await successor.NewerStoredAsync();

        Assert.Null(whileFresh); // within a second nobody else can have been given the request
        Assert.Equal(RequestState.Released, afterwards?.State);
        Assert.Null(successorSees);
    }

    [Fact]
    public async Task Fence_NoRequestStored_ADecisionStillNegotiatedElsewhereCannotBeStoredAfterIt()
    {
        // What the fault run found: a data center asked a new activation about an allocation, heard "not wanted"
        // (nothing stored) and released it, while an activation on a paused silo went on to store its decision on it.
        var store = new MemoryRowStore();
        var clock = new FakeTimeProvider();
        var id = "r-" + Guid.NewGuid().ToString("N")[..24];
        var negotiatingElsewhere = new RequestRows(store, Serializer, id, clock);
        await negotiatingElsewhere.LoadAsync();
        var asked = new RequestRows(store, Serializer, id, clock);
        await asked.LoadAsync();

        await asked.FenceAsync();
        var lateDecision = negotiatingElsewhere.WriteAsync(Record(RequestState.Allocated), []);

        await Assert.ThrowsAsync<RowConflictException>(() => lateDecision);
        var retry = new RequestRows(store, Serializer, id, clock);
        Assert.Null(await retry.LoadAsync()); // the id is free for a retry of the request
        await retry.WriteAsync(Record(RequestState.Negotiating), []);
        Assert.Equal(RequestState.Negotiating, (await new RequestRows(store, Serializer, id, clock).LoadAsync())?.State);
    }

    private static RequestRecord Record(RequestState state) => new() { State = state, Tenant = "t", HomeProvider = "p", CreatedAt = DateTimeOffset.UnixEpoch };
}
