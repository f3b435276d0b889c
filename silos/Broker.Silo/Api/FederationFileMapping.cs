using Broker.Contracts;
using Broker.Federation;

namespace Broker.Silo.Api;

/// <summary>
/// The federation file as the wire spells it, turned into the document the federation grain validates, merges and
/// stores. Field by field, so that the grains' stored records and the file's format can each change on their own.
/// Nothing is judged here: the federation grain validates the document where the federation lives.
/// </summary>
public static class FederationFileMapping
{
    public static FederationDocument ToDocument(this FederationFile file) => new()
    {
        Providers = Each(file.Providers, ToDefinition),
        Tenants = Each(file.Tenants, ToDefinition),
        FederationAdmins = Each(file.FederationAdmins, ToDefinition),
    };

    private static ProviderDefinition ToDefinition(ProviderEntry provider) => new()
    {
        Id = provider.Id,
        Name = provider.Name,
        Kind = provider.Kind.ToDomain(),
        Regions = provider.Regions,
        DataCenters = Each(provider.DataCenters, ToDefinition),
        Contracts = Each(provider.Contracts, ToDefinition),
        Admins = Each(provider.Admins, ToDefinition),
    };

    private static DataCenterDefinition ToDefinition(DataCenterEntry dc) => new()
    {
        Id = dc.Id,
        Location = dc.Location,
        ProtectionLevel = dc.ProtectionLevel.ToDomain(),
        RenewableShare = dc.RenewableShare,
        Pue = dc.Pue,
        Pools = Each(dc.Pools, ToDefinition),
    };

    private static PoolDefinition ToDefinition(PoolEntry pool) => new()
    {
        Resource = pool.Resource,
        Total = pool.Total,
        Headroom = pool.Headroom,
        AllocationRatio = pool.AllocationRatio,
        MinUnit = pool.MinUnit,
        MaxUnit = pool.MaxUnit,
        Step = pool.Step,
        PricePerUnitHour = pool.PricePerUnitHour,
    };

    private static ContractDefinition ToDefinition(ContractEntry contract) => new()
    {
        Partner = contract.Partner,
        Resource = contract.Resource,
        MaxAmount = contract.MaxAmount,
        PricePerUnitHour = contract.PricePerUnitHour,
    };

    private static TenantDefinition ToDefinition(TenantEntry tenant) => new()
    {
        Id = tenant.Id,
        Name = tenant.Name,
        HomeProvider = tenant.HomeProvider,
        Token = tenant.Token,
        TokenSha256 = tenant.TokenSha256,
        Quotas = new Dictionary<string, long>(tenant.Quotas),
    };

    private static AdminDefinition ToDefinition(AdminEntry admin) => new() { Token = admin.Token, TokenSha256 = admin.TokenSha256 };

    // A null in a list ("providers": [null]) is JSON the reader lets through; it stays a null, so that the validator
    // names its place (providers[0]) as it does for any other entry at fault.
    private static TDefinition[] Each<TEntry, TDefinition>(TEntry[] entries, Func<TEntry, TDefinition> map)
        where TEntry : class
        where TDefinition : class =>
        entries.Select(entry => entry is null ? null! : map(entry)).ToArray();
}
