using System.Text.Json;
using Broker.Contracts;
using Broker.Federation;
using Broker.Silo.Api;
using Broker.Silo.Json;
using ProtectionLevel = Broker.Contracts.ProtectionLevel;
using ProviderKind = Broker.Contracts.ProviderKind;

namespace Broker.Tests.Units;

/// <summary>
/// The federation file as the wire spells it and the document the federation grain keeps: the same fields under the same
/// names, so the silo reads a file and answers the OpenAPI document exactly as before the wire got records of its own.
/// </summary>
public sealed class FederationFileMappingTests
{
    [Fact]
    public void ToDocument_EveryFieldSet_CarriedOverOneToOne()
    {
        var file = new FederationFile
        {
            Providers =
            [
                new ProviderEntry
                {
                    Id = "p", Name = "P", Kind = ProviderKind.Partner, Regions = ["DE-HH", "DE-SH"],
                    DataCenters =
                    [
                        new DataCenterEntry
                        {
                            Id = "dc", Location = "DE-HH", ProtectionLevel = ProtectionLevel.VeryHigh, RenewableShare = 0.8, Pue = 1.3,
                            Pools = [new PoolEntry { Resource = "storage.ssd", Total = 900, Headroom = 90, AllocationRatio = 1.25, MinUnit = 5, MaxUnit = 500, Step = 5, PricePerUnitHour = 0.00012m }],
                        },
                    ],
                    Contracts = [new ContractEntry { Partner = "q", Resource = "storage.ssd", MaxAmount = 7, PricePerUnitHour = 0.0001m }],
                    Admins = [new AdminEntry { Token = "plain" }, new AdminEntry { TokenSha256 = new string('a', 64) }],
                },
            ],
            Tenants = [new TenantEntry { Id = "t", Name = "T", HomeProvider = "p", Token = "tt", TokenSha256 = new string('b', 64), Quotas = new() { ["storage.ssd"] = 40 } }],
            FederationAdmins = [new AdminEntry { TokenSha256 = new string('c', 64) }],
        };

        Assert.Equal(Json(file), Json(file.ToDocument()));
    }

    [Fact]
    public void ToDocument_FieldsLeftOut_TakeTheGrainsDefaults()
    {
        var file = new FederationFile
        {
            Providers =
            [
                new ProviderEntry
                {
                    Id = "p",
                    DataCenters = [new DataCenterEntry { Id = "dc", Location = "DE-HH", Pools = [new PoolEntry { Resource = "storage.ssd" }] }],
                    Contracts = [new ContractEntry { Partner = "q", Resource = "storage.ssd" }],
                    Admins = [new AdminEntry()],
                },
            ],
            Tenants = [new TenantEntry { Id = "t", HomeProvider = "p" }],
        };
        var document = new FederationDocument
        {
            Providers =
            [
                new ProviderDefinition
                {
                    Id = "p",
                    DataCenters = [new DataCenterDefinition { Id = "dc", Location = "DE-HH", Pools = [new PoolDefinition { Resource = "storage.ssd" }] }],
                    Contracts = [new ContractDefinition { Partner = "q", Resource = "storage.ssd" }],
                    Admins = [new AdminDefinition()],
                },
            ],
            Tenants = [new TenantDefinition { Id = "t", HomeProvider = "p" }],
        };

        Assert.Equal(Json(document), Json(file.ToDocument()));
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, BrokerJson.Options);
}
