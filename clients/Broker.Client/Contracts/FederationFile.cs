namespace Broker.Client;

/// <summary>
/// The federation file's shape, for <c>PUT /v1/federation</c>: providers, data centers, pools, contracts and
/// tenants are upserted by id; nothing absent is removed.
/// </summary>
public sealed record FederationFile
{
    public IReadOnlyList<ProviderEntry> Providers { get; init; } = [];
    public IReadOnlyList<TenantEntry> Tenants { get; init; } = [];
    public IReadOnlyList<TokenEntry> FederationAdmins { get; init; } = [];
}

public sealed record ProviderEntry
{
    public required string Id { get; init; }
    public string Name { get; init; } = "";
    public ProviderKind Kind { get; init; } = ProviderKind.Member;
    public IReadOnlyList<string> Regions { get; init; } = [];
    public IReadOnlyList<DataCenterEntry> DataCenters { get; init; } = [];
    public IReadOnlyList<ContractEntry> Contracts { get; init; } = [];
    public IReadOnlyList<TokenEntry> Admins { get; init; } = [];
}

public sealed record DataCenterEntry
{
    public required string Id { get; init; }
    public required string Location { get; init; }
    public ProtectionLevel ProtectionLevel { get; init; } = ProtectionLevel.Normal;
    public double RenewableShare { get; init; }
    public IReadOnlyList<PoolEntry> Pools { get; init; } = [];
}

public sealed record PoolEntry
{
    public required string Resource { get; init; }
    public long Total { get; init; }
    public long Headroom { get; init; }
    public decimal PricePerUnitHour { get; init; }
}

public sealed record ContractEntry(string Partner, string Resource, long MaxAmount, decimal PricePerUnitHour);

public sealed record TenantEntry
{
    public required string Id { get; init; }
    public string Name { get; init; } = "";
    public required string HomeProvider { get; init; }
    public string? Token { get; init; }
}

public sealed record TokenEntry(string Token);

/// <summary>The answer to an upsert: the federation's version after it.</summary>
public sealed record FederationVersion(long Version);
