namespace Broker.Contracts;

public sealed record CatalogResource(CatalogEntry[] Resources);

public sealed record CatalogEntry(string Resource, CatalogOffer[] Offers);

public sealed record CatalogOffer(
    string Provider,
    ProviderKind ProviderKind,
    string DataCenter,
    string Location,
    ProtectionLevel ProtectionLevel,
    decimal PricePerUnitHour,
    long Free,
    long MinUnit,
    long MaxUnit,
    long Step,
    double RenewableShare);

public sealed record CapacityResource(ProviderCapacity[] Providers);

public sealed record ProviderCapacity(string Provider, ProviderKind Kind, DataCenterResource[] DataCenters);

/// <summary>A data center with its pools' capacity now.</summary>
public sealed record DataCenterResource(
    string Id,
    string Provider,
    string Location,
    ProtectionLevel ProtectionLevel,
    double RenewableShare,
    double? Pue,
    PoolResource[] Pools,
    HostResource? HostedOn);

/// <summary>Where a data center's grain runs: the silo, and the provider that silo runs for.</summary>
public sealed record HostResource(string Silo, string Provider);

public sealed record PoolResource(
    string Resource,
    long Total,
    long Capacity,
    long Headroom,
    long Allocated,
    long Held,
    long Free,
    double Utilisation,
    decimal PricePerUnitHour);

/// <summary>The body of <c>PUT /v1/datacenters/{dc}/pools/{resource}</c>.</summary>
public sealed record PoolChangeBody
{
    public long? Total { get; init; }
    public long? Headroom { get; init; }
    public decimal? PricePerUnitHour { get; init; }
}

public sealed record FederationUpsertResource(long Version);
