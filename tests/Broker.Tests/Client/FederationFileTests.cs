using System.Security.Cryptography;
using System.Text;
using Broker.Contracts;
using ProtectionLevel = Broker.Contracts.ProtectionLevel;
using ProviderKind = Broker.Contracts.ProviderKind;
using RejectionCode = Broker.Contracts.RejectionCode;
using RequestState = Broker.Contracts.RequestState;
using Tier = Broker.Contracts.Tier;

namespace Broker.Tests.Client;

/// <summary>
/// A real federation file — only hashes of tokens, tenant quotas, every pool field, a partner under contract — written
/// with the typed client's records through <c>PUT /v1/federation</c> to a real broker, and read back through the client.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class FederationFileTests(BrokerFixture broker)
{
    [Fact]
    public async Task UpsertFederation_HashedTokensQuotasAndFullPools_ReadBackAsWritten()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var (tenantToken, adminToken, officeToken) = ($"tenant-{suffix}-token", $"admin-{suffix}-token", $"office-{suffix}-token");
        var ssd = $"storage.ssd-{suffix}";
        var pool = new PoolEntry { Resource = ssd, Total = 1_000, Headroom = 100, AllocationRatio = 1.5, MinUnit = 10, MaxUnit = 400, Step = 10, PricePerUnitHour = 0.0002m };
        var home = new DataCenterEntry { Id = $"home-dc-{suffix}", Location = "DE-HH", ProtectionLevel = ProtectionLevel.High, RenewableShare = 0.7, Pue = 1.25, Pools = [pool] };
        var partner = new DataCenterEntry { Id = $"partner-dc-{suffix}", Location = "DE-BE", Pools = [new PoolEntry { Resource = ssd, Total = 5_000, PricePerUnitHour = 0.0009m }] };
        var contract = new ContractEntry { Partner = $"partner-{suffix}", Resource = ssd, MaxAmount = 2_000, PricePerUnitHour = 0.0003m };
        var file = new FederationFile
        {
            Providers =
            [
                new ProviderEntry { Id = $"home-{suffix}", Name = "Home", Regions = ["DE-HH"], DataCenters = [home], Contracts = [contract], Admins = [new AdminEntry { TokenSha256 = Sha256(adminToken) }] },
                new ProviderEntry { Id = $"partner-{suffix}", Name = "Partner", Kind = ProviderKind.Partner, Regions = ["DE"], DataCenters = [partner] },
            ],
            Tenants = [new TenantEntry { Id = $"tenant-{suffix}", Name = "Tenant", HomeProvider = $"home-{suffix}", TokenSha256 = Sha256(tenantToken), Quotas = new() { [ssd] = 300 } }],
            FederationAdmins = [new AdminEntry { TokenSha256 = Sha256(officeToken) }],
        };
        using var harness = new ClientHarness(broker.BaseAddress, broker.FederationAdminToken, new FaultInjectionHandler());

        var upserted = await harness.Client.UpsertFederationAsync(file);

        Assert.True(upserted.Version > 0, $"version {upserted.Version}");
        // The data center as its owner reports it, read with the admin's token that the file holds only the hash of.
        var dc = (await harness.Client.As(adminToken).GetProviderDataCentersAsync($"home-{suffix}")).Single();
        Assert.Equal((home.Id, $"home-{suffix}", "DE-HH", ProtectionLevel.High, 0.7, (double?)1.25), (dc.Id, dc.Provider, dc.Location, dc.ProtectionLevel, dc.RenewableShare, dc.Pue));
        var read = dc.Pools.Single();
        Assert.Equal((ssd, 1_000L, 1_500L, 100L, 0L, 0.0002m), (read.Resource, read.Total, read.Capacity, read.Headroom, read.Allocated, read.PricePerUnitHour));

        // The catalogue a tenant sees (its token hashed too): the pool's unit bounds, and the partner at the contract's price.
        var tenant = harness.Client.As(tenantToken);
        var offers = await Eventually.ReturnsAsync(
            async () => (await tenant.GetCatalogAsync()).Resources.SingleOrDefault(r => r.Resource == ssd)?.Offers ?? [],
            o => o.Length == 2,
            "the directory shows both data centers");
        var own = offers.Single(o => o.DataCenter == home.Id);
        Assert.Equal(
            (ProviderKind.Member, "DE-HH", ProtectionLevel.High, 0.0002m, 1_400L, 10L, 400L, 10L, 0.7),
            (own.ProviderKind, own.Location, own.ProtectionLevel, own.PricePerUnitHour, own.Free, own.MinUnit, own.MaxUnit, own.Step, own.RenewableShare));
        var underContract = offers.Single(o => o.DataCenter == partner.Id);
        Assert.Equal((ProviderKind.Partner, $"partner-{suffix}", 0.0003m), (underContract.ProviderKind, underContract.Provider, underContract.PricePerUnitHour));

        // The quota: 300 units are the tenant's to hold, ten more are not.
        var allowed = await tenant.RequestAsync(new CreateRequestBody { Items = [new ItemBody(ssd, 300)] });
        var beyond = await tenant.RequestAsync(new CreateRequestBody { Items = [new ItemBody(ssd, 10)] });
        Assert.Equal((RequestState.Allocated, Tier.Home, home.Id), (allowed.State, allowed.Allocation!.Tier, allowed.Allocation.Parts.Single().DataCenter));
        Assert.Equal((RequestState.Rejected, RejectionCode.QuotaExceeded), (beyond.State, beyond.Reason!.Code));

        // The coordination office's new admin, known by the hash alone: only a federation admin reads an admin-less provider's data centers.
        var partnerDataCenters = await harness.Client.As(officeToken).GetProviderDataCentersAsync($"partner-{suffix}");
        Assert.Equal([partner.Id], partnerDataCenters.Select(d => d.Id));
    }

    private static string Sha256(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
