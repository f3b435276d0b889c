using Broker.Grains.DataCenters;
using Broker.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Serialization;

namespace Broker.Tests.Units;

/// <summary>
/// The fault run saw a request expire a tenth of a second after its allocation: a silo cut off by a partition, and
/// not declared dead, still ran an old activation of the data center, which answered a renewal "not held here" from
/// its memory while the true activation held the allocation. Such an answer is checked against storage first, and
/// the old activation answers with a conflict (the caller gets 503, its retry reaches the true activation).
/// </summary>
public sealed class StaleDataCenterActivationTests
{
    private static readonly Serializer Serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();

    [Fact]
    public async Task Overtaken_AnotherActivationWroteSince_ConflictNamingTheHeadOnceMemoryIsNoLongerFresh()
    {
        var store = new MemoryRowStore();
        var clock = new FakeTimeProvider();
        var id = "dc-" + Guid.NewGuid().ToString("N")[..12];
        var cutOff = new DataCenterRows(store, Serializer, id, clock);
        var (head, _) = await cutOff.LoadAsync();
        await cutOff.WriteAsync(head, []);
        var successor = new DataCenterRows(store, Serializer, id, clock);
        await successor.LoadAsync();
        await successor.WriteAsync(head, [KeyValuePair.Create("r-1", (StoredAllocation?)new StoredAllocation([new("storage.ssd", 10)], clock.GetUtcNow().AddDays(1)))]);

        var whileFresh = await cutOff.OvertakenAsync();
        var whileFreshAsked = await cutOff.OvertakenAsync(evenIfFresh: true);
        clock.Advance(GuardedRow.FreshFor);
        var afterwards = await cutOff.OvertakenAsync();
        var successorSees = await successor.OvertakenAsync();

        Assert.Null(whileFresh); // within a second of its own write memory is taken as stored, for answers that end nothing
        // Both activations alive at once (a partition healed before either silo was declared dead): an answer that ends
        // something — "not held here" to a renewal — reads storage every time (the CI fault run saw one within the second).
        Assert.Equal(new RowKey(DataCenterRows.HeadTable, id, ""), whileFreshAsked?.Key);
        Assert.Equal(new RowKey(DataCenterRows.HeadTable, id, ""), afterwards?.Key);
        Assert.Equal($"row datacenter/{id}/ is at version 2, expected 1", afterwards?.Message);
        Assert.Null(successorSees);
    }

    [Fact]
    public void RowConflict_CrossesSilos_AsItself()
    {
        // Orleans could not serialize the conflict: it never reached the caller, who waited out the 30 s response timeout.
        var conflict = new RowConflictException(new RowKey("request", "r-" + Guid.NewGuid().ToString("N")[..8], ""), 1, 2);

        var received = Serializer.Deserialize<object>(Serializer.SerializeToArray<object>(conflict));

        var copy = Assert.IsType<RowConflictException>(received);
        Assert.Equal((conflict.Key, conflict.Message), (copy.Key, copy.Message));
    }
}
