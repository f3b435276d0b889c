namespace Broker.Contracts;

/// <summary>
/// The federation file, which every silo loads at start and <c>PUT /v1/federation</c> upserts: providers with their data
/// centers, pools, partner contracts and admins, tenants with their quotas, and the coordination office's admins. Upserted
/// by id at every level (a data center's pools by resource class); nothing absent is removed. A field left out takes the
/// default written here.
/// </summary>
public sealed record FederationFile
{
    public ProviderEntry[] Providers { get; init; } = [];
    public TenantEntry[] Tenants { get; init; } = [];
    public AdminEntry[] FederationAdmins { get; init; } = [];
}

public sealed record ProviderEntry
{
    public required string Id { get; init; }
    public string Name { get; init; } = "";
    public ProviderKind Kind { get; init; } = ProviderKind.Member;
    public string[] Regions { get; init; } = [];
    public DataCenterEntry[] DataCenters { get; init; } = [];
    public ContractEntry[] Contracts { get; init; } = [];
    public AdminEntry[] Admins { get; init; } = [];
}

public sealed record DataCenterEntry
{
    public required string Id { get; init; }
    /// <summary>A country and state, such as <c>DE-HH</c>.</summary>
    public required string Location { get; init; }
    /// <summary>The highest level the data center is accredited for.</summary>
    public ProtectionLevel ProtectionLevel { get; init; } = ProtectionLevel.Normal;
    /// <summary>Share of renewable power, 0..1; feeds the energy term of the ranking.</summary>
    public double RenewableShare { get; init; }
    /// <summary>Power usage effectiveness, for the operator's information.</summary>
    public double? Pue { get; init; }
    public PoolEntry[] Pools { get; init; } = [];
}

/// <summary>One resource class at a data center: the pool never grants more than <c>allocated + held + headroom ≤ floor(total × allocationRatio)</c>.</summary>
public sealed record PoolEntry
{
    public required string Resource { get; init; }
    public long Total { get; init; }
    /// <summary>Capacity kept back for <c>high</c> priority requests.</summary>
    public long Headroom { get; init; }
    /// <summary>Overcommit factor: the pool may give out up to <c>total × ratio</c>.</summary>
    public double AllocationRatio { get; init; } = 1.0;
    /// <summary>The least one request may take from the pool.</summary>
    public long MinUnit { get; init; } = 1;
    /// <summary>The most one request may take from the pool.</summary>
    public long MaxUnit { get; init; } = long.MaxValue;
    /// <summary>What one request takes is a multiple of this.</summary>
    public long Step { get; init; } = 1;
    public decimal PricePerUnitHour { get; init; }
}

/// <summary>A member provider's right to broker up to <see cref="MaxAmount"/> units of a class from a partner.</summary>
public sealed record ContractEntry
{
    public required string Partner { get; init; }
    public required string Resource { get; init; }
    public long MaxAmount { get; init; }
    public decimal PricePerUnitHour { get; init; }
}

public sealed record TenantEntry
{
    public required string Id { get; init; }
    public string Name { get; init; } = "";
    public required string HomeProvider { get; init; }
    /// <summary>A plain bearer token: for the demo file only; real files hold <see cref="TokenSha256"/>.</summary>
    public string? Token { get; init; }
    /// <summary>The SHA-256 of the bearer token, 64 hex digits: the broker never needs the token itself.</summary>
    public string? TokenSha256 { get; init; }
    /// <summary>Per resource class, how many units the tenant may hold at once; a request beyond it is rejected <c>quota-exceeded</c>.</summary>
    public Dictionary<string, long> Quotas { get; init; } = [];
}

/// <summary>An admin of a provider or of the federation, known by a bearer token.</summary>
public sealed record AdminEntry
{
    /// <summary>A plain bearer token: for the demo file only; real files hold <see cref="TokenSha256"/>.</summary>
    public string? Token { get; init; }
    /// <summary>The SHA-256 of the bearer token, 64 hex digits: the broker never needs the token itself.</summary>
    public string? TokenSha256 { get; init; }
}
