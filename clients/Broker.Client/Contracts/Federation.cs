namespace Broker.Client;

/// <summary>The service catalogue: per resource class, who offers it where, at what price, with how much free now.</summary>
public sealed record Catalog(IReadOnlyList<CatalogEntry> Resources);

public sealed record CatalogEntry(string Resource, IReadOnlyList<CatalogOffer> Offers);

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

/// <summary>The federation's capacity now, per provider, data center and pool.</summary>
public sealed record FederationCapacity(IReadOnlyList<ProviderCapacity> Providers);

public sealed record ProviderCapacity(string Provider, ProviderKind Kind, IReadOnlyList<DataCenter> DataCenters);

public sealed record DataCenter(
    string Id,
    string Provider,
    string Location,
    ProtectionLevel ProtectionLevel,
    double RenewableShare,
    double? Pue,
    IReadOnlyList<Pool> Pools,
    DataCenterHost? HostedOn);

/// <summary>Where a data center's grain runs: the silo, and the provider that silo runs for.</summary>
public sealed record DataCenterHost(string Silo, string Provider);

/// <summary>
/// A pool's capacity: <see cref="Capacity"/> is what it may give out (total × allocation ratio),
/// <see cref="Free"/> what a normal-priority request can still get.
/// </summary>
public sealed record Pool(
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
public sealed record PoolChange
{
    public long? Total { get; init; }
    public long? Headroom { get; init; }
    public decimal? PricePerUnitHour { get; init; }
}
