using Broker.DataCenters;
using Broker.Grains.Directory;

namespace Broker.Tests.Units;

public sealed class CapacityDirectoryTests
{
    [Fact]
    public void Apply_KeepsTheNewestSummaryAndIndexesItsClasses()
    {
        var directory = new CapacityDirectory();

        directory.Apply(Summary("a", version: 2, "storage.ssd", "compute.vcpu"));
        directory.Apply(Summary("b", version: 1, "storage.ssd"));
        directory.Apply(Summary("a", version: 1, "storage.hdd"));

        Assert.Equal(["a", "b"], directory.Offering("storage.ssd").Select(dc => dc.Id).Order());
        Assert.Equal(["a"], directory.Offering("compute.vcpu").Select(dc => dc.Id));
        Assert.Equal(2, directory.Find("a")!.Version);
        Assert.Empty(directory.Offering("compute.memory"));
        Assert.Empty(directory.Offering("storage.hdd"));
    }

    // A silo that has just started fills its directory while negotiations read it: the fault run saw two servable
    // requests answered "unsatisfiable" in the same millisecond, right after a restarted silo loaded the federation.
    // A reader could cache the random order of a class from before a data center joined it, and keep it.
    [Fact]
    public async Task OfferingInRandomOrder_ReadWhileDataCentersJoin_ListsEveryOneOnceTheyHave()
    {
        const int Rounds = 3000;
        const int DataCenters = 100;
        var stale = 0;
        for (var round = 0; round < Rounds; round++)
        {
            var directory = new CapacityDirectory();
            using var joined = new CancellationTokenSource();
            var reader = Task.Run(() =>
            {
                while (!joined.IsCancellationRequested)
                {
                    _ = directory.OfferingInRandomOrder("compute.vcpu");
                }
            });
            await Task.Run(() =>
            {
                for (var i = 0; i < DataCenters; i++)
                {
                    directory.Apply(Summary($"dc-{i}", version: 1, "compute.vcpu"));
                }
            });
            await joined.CancelAsync();
            await reader;

            stale += directory.OfferingInRandomOrder("compute.vcpu").Count == DataCenters ? 0 : 1;
        }

        Assert.Equal(0, stale);
    }

    [Fact]
    public void Apply_AListedDataCenterIsAlwaysFound_OrSeenAsMissing()
    {
        // The class index is written before the summary: a reader finds a listed id's summary, or none (then the data
        // center counts as unseen and is asked directly) — never a summary no list shows.
        var directory = new CapacityDirectory();
        directory.Apply(Summary("a", version: 1, "compute.vcpu"));

        Assert.Equal(["a"], directory.OfferingInRandomOrder("compute.vcpu"));
        Assert.Equal("a", directory.Find("a")?.Id);
    }

    private static DataCenterSummary Summary(string id, long version, params string[] resources) => new()
    {
        Id = id,
        Provider = "p",
        ProviderKind = ProviderKind.Member,
        Location = "DE-HH",
        ProtectionLevel = ProtectionLevel.Normal,
        RenewableShare = 0.5,
        Version = version,
        Pools = resources.Select(r => new PoolSummary
        {
            Resource = r, Total = 10, Capacity = 10, Headroom = 0, Allocated = 0, Held = 0,
            MinUnit = 1, MaxUnit = 10, Step = 1, PricePerUnitHour = 1m, AllocationRatio = 1,
        }).ToArray(),
    };
}
