using Broker.Domain;

namespace Broker.Federation;

/// <summary>
/// The federation file: providers with their data centers, pools and partner contracts, tenants and
/// the coordination office's admins. Loaded by every silo and upserted by id, so loading it twice changes nothing.
/// </summary>
[GenerateSerializer, Immutable, Alias("broker.federation-document")]
public sealed record FederationDocument
{
    [Id(0)] public ProviderDefinition[] Providers { get; init; } = [];
    [Id(1)] public TenantDefinition[] Tenants { get; init; } = [];
    [Id(2)] public AdminDefinition[] FederationAdmins { get; init; } = [];
}

[GenerateSerializer, Immutable, Alias("broker.provider-definition")]
public sealed record ProviderDefinition
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public string Name { get; init; } = "";
    [Id(2)] public ProviderKind Kind { get; init; } = ProviderKind.Member;
    [Id(3)] public string[] Regions { get; init; } = [];
    [Id(4)] public DataCenterDefinition[] DataCenters { get; init; } = [];
    [Id(5)] public ContractDefinition[] Contracts { get; init; } = [];
    [Id(6)] public AdminDefinition[] Admins { get; init; } = [];
}

[GenerateSerializer, Immutable, Alias("broker.data-center-definition")]
public sealed record DataCenterDefinition
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required string Location { get; init; }
    [Id(2)] public ProtectionLevel ProtectionLevel { get; init; } = ProtectionLevel.Normal;
    /// <summary>Share of renewable power, 0..1; feeds the energy term of the ranking.</summary>
    [Id(3)] public double RenewableShare { get; init; }
    /// <summary>Power usage effectiveness, for the operator's information.</summary>
    [Id(4)] public double? Pue { get; init; }
    [Id(5)] public PoolDefinition[] Pools { get; init; } = [];
}

[GenerateSerializer, Immutable, Alias("broker.pool-definition")]
public sealed record PoolDefinition
{
    [Id(0)] public required string Resource { get; init; }
    [Id(1)] public long Total { get; init; }
    /// <summary>Capacity kept back for <c>high</c> priority requests.</summary>
    [Id(2)] public long Headroom { get; init; }
    /// <summary>Overcommit factor: the pool may give out up to <c>total × ratio</c>.</summary>
    [Id(3)] public double AllocationRatio { get; init; } = 1.0;
    [Id(4)] public long MinUnit { get; init; } = 1;
    [Id(5)] public long MaxUnit { get; init; } = long.MaxValue;
    [Id(6)] public long Step { get; init; } = 1;
    [Id(7)] public decimal PricePerUnitHour { get; init; }
}

/// <summary>A member provider's right to broker up to <see cref="MaxAmount"/> units of a class from a partner.</summary>
[GenerateSerializer, Immutable, Alias("broker.contract-definition")]
public sealed record ContractDefinition
{
    [Id(0)] public required string Partner { get; init; }
    [Id(1)] public required string Resource { get; init; }
    [Id(2)] public long MaxAmount { get; init; }
    [Id(3)] public decimal PricePerUnitHour { get; init; }
}

[GenerateSerializer, Immutable, Alias("broker.tenant-definition")]
public sealed record TenantDefinition
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public string Name { get; init; } = "";
    [Id(2)] public required string HomeProvider { get; init; }
    /// <summary>A plain bearer token: for the demo file only; real files hold <see cref="TokenSha256"/>.</summary>
    [Id(3)] public string? Token { get; init; }
    /// <summary>The SHA-256 of the bearer token, 64 hex digits: the broker never needs the token itself.</summary>
    [Id(4)] public string? TokenSha256 { get; init; }
    /// <summary>Per resource class, how many units the tenant may hold at once; a request beyond it is rejected <c>quota-exceeded</c>.</summary>
    [Id(5)] public Dictionary<string, long> Quotas { get; init; } = [];
}

[GenerateSerializer, Immutable, Alias("broker.admin-definition")]
public sealed record AdminDefinition
{
    /// <summary>A plain bearer token: for the demo file only; real files hold <see cref="TokenSha256"/>.</summary>
    [Id(0)] public string? Token { get; init; }
    /// <summary>The SHA-256 of the bearer token, 64 hex digits: the broker never needs the token itself.</summary>
    [Id(1)] public string? TokenSha256 { get; init; }
}
