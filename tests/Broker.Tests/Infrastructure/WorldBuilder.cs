using Broker.Federation;

namespace Broker.Tests.Infrastructure;

/// <summary>
/// Describes a small federation for one test. Every id and resource class gets the world's random
/// suffix, so worlds in one broker never see each other's capacity: a request for
/// <c>storage.ssd-1a2b3c4d</c> can only land in this world's pools.
/// </summary>
public sealed class WorldBuilder
{
    private readonly List<ProviderBuilder> _providers = [];
    private readonly List<TenantDefinition> _tenants = [];

    public string Suffix { get; } = Guid.NewGuid().ToString("N")[..8];

    public static PoolSpec Pool(string resource, long total, decimal price, long headroom = 0, double ratio = 1.0, long minUnit = 1, long? maxUnit = null, long step = 1) =>
        new(resource, total, price, headroom, ratio, minUnit, maxUnit, step);

    public string Id(string name) => $"{name}-{Suffix}";

    public string Resource(string resourceClass) => $"{resourceClass}-{Suffix}";

    public ProviderBuilder Member(string name, params string[] regions) => Add(name, ProviderKind.Member, regions);

    public ProviderBuilder Partner(string name, params string[] regions) => Add(name, ProviderKind.Partner, regions);

    /// <summary>A tenant at home at <paramref name="home"/>; <paramref name="quotas"/> per resource class of this world.</summary>
    public void Tenant(string name, ProviderBuilder home, IReadOnlyDictionary<string, long>? quotas = null) =>
        _tenants.Add(new TenantDefinition
        {
            Id = Id(name),
            Name = name,
            HomeProvider = home.Id,
            Token = TokenOf(name),
            Quotas = (quotas ?? new Dictionary<string, long>()).ToDictionary(q => Resource(q.Key), q => q.Value),
        });

    public string TokenOf(string name) => $"token-{name}-{Suffix}";

    public string AdminTokenOf(string providerName) => $"admin-{providerName}-{Suffix}";

    public FederationDocument ToDocument() => new()
    {
        Providers = _providers.Select(p => p.ToDefinition()).ToArray(),
        Tenants = _tenants.ToArray(),
    };

    private ProviderBuilder Add(string name, ProviderKind kind, string[] regions)
    {
        var provider = new ProviderBuilder(this, name, kind, regions.Length == 0 ? ["DE"] : regions);
        _providers.Add(provider);
        return provider;
    }
}

public sealed record PoolSpec(string Resource, long Total, decimal Price, long Headroom, double Ratio, long MinUnit, long? MaxUnit, long Step);

public sealed class ProviderBuilder(WorldBuilder world, string name, ProviderKind kind, string[] regions)
{
    private readonly List<DataCenterDefinition> _dataCenters = [];
    private readonly List<ContractDefinition> _contracts = [];
    private string? _displayName;

    public string Id => world.Id(name);

    /// <summary>The provider's display name in the federation (its short name by default).</summary>
    public ProviderBuilder Named(string displayName)
    {
        _displayName = displayName;
        return this;
    }

    public ProviderBuilder DataCenter(string dataCenter, string location, ProtectionLevel level, params PoolSpec[] pools) =>
        DataCenter(dataCenter, location, level, 0.5, pools);

    public ProviderBuilder DataCenter(string dataCenter, string location, ProtectionLevel level, double renewableShare, params PoolSpec[] pools)
    {
        _dataCenters.Add(new DataCenterDefinition
        {
            Id = world.Id(dataCenter),
            Location = location,
            ProtectionLevel = level,
            RenewableShare = renewableShare,
            Pools = pools.Select(p => new PoolDefinition
            {
                Resource = world.Resource(p.Resource),
                Total = p.Total,
                Headroom = p.Headroom,
                AllocationRatio = p.Ratio,
                MinUnit = p.MinUnit,
                MaxUnit = p.MaxUnit ?? long.MaxValue,
                Step = p.Step,
                PricePerUnitHour = p.Price,
            }).ToArray(),
        });
        return this;
    }

    public ProviderBuilder Contract(ProviderBuilder partner, string resource, long maxAmount, decimal price)
    {
        _contracts.Add(new ContractDefinition { Partner = partner.Id, Resource = world.Resource(resource), MaxAmount = maxAmount, PricePerUnitHour = price });
        return this;
    }

    internal ProviderDefinition ToDefinition() => new()
    {
        Id = Id,
        Name = _displayName ?? name,
        Kind = kind,
        Regions = regions,
        DataCenters = _dataCenters.ToArray(),
        Contracts = _contracts.ToArray(),
        Admins = [new AdminDefinition { Token = world.AdminTokenOf(name) }],
    };
}
