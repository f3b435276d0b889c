using Broker.Federation;
using Broker.Grains.Directory;
using Broker.Grains.Federation;
using Broker.Grains.Negotiation;

namespace Broker.Tests.Units;

/// <summary>A data center the federation registers but a silo's directory has not seen yet is a candidate to ask, not a reason for "unsatisfiable".</summary>
public sealed class DirectoryGapTests
{
    [Fact]
    public void Unseen_RegisteredButNotInTheDirectory_StandInWithItsPoolsAndNothingUsed()
    {
        var seen = new DataCenterDefinition { Id = "seen", Location = "DE-HH", Pools = [new PoolDefinition { Resource = "storage.ssd", Total = 100 }] };
        var missing = new DataCenterDefinition
        {
            Id = "missing",
            Location = "DE-BY",
            ProtectionLevel = Domain.ProtectionLevel.High,
            Pools = [new PoolDefinition { Resource = "storage.ssd", Total = 400, AllocationRatio = 1.5, PricePerUnitHour = 0.2m }],
        };
        var view = new FederationView(1, new FederationDocument
        {
            Providers = [new ProviderDefinition { Id = "p", Kind = Domain.ProviderKind.Partner, DataCenters = [seen, missing] }],
        });
        var directory = new CapacityDirectory();
        directory.Apply(DataCenters.DataCenterSummary.Of("p", Domain.ProviderKind.Partner, seen, [], version: 1));

        var unseen = DirectoryGap.Unseen(view, directory);

        var standIn = Assert.Single(unseen).Value;
        Assert.Equal(("missing", "p", Domain.ProviderKind.Partner, "DE-BY", Domain.ProtectionLevel.High), (standIn.Id, standIn.Provider, standIn.ProviderKind, standIn.Location, standIn.ProtectionLevel));
        var pool = Assert.Single(standIn.Pools);
        Assert.Equal((600L, 0L, 0L, 0.2m), (pool.Capacity, pool.Allocated, pool.Held, pool.PricePerUnitHour));
    }

    [Fact]
    public void Unseen_EveryRegisteredDataCenterInTheDirectory_None()
    {
        var dc = new DataCenterDefinition { Id = "dc", Location = "DE-HH" };
        var view = new FederationView(1, new FederationDocument { Providers = [new ProviderDefinition { Id = "p", DataCenters = [dc] }] });
        var directory = new CapacityDirectory();
        directory.Apply(DataCenters.DataCenterSummary.Of("p", Domain.ProviderKind.Member, dc, [], version: 1));

        Assert.Empty(DirectoryGap.Unseen(view, directory));
    }
}
