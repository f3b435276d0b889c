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
