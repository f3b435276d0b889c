using Broker.Domain;

namespace Broker.DataCenters;

/// <summary>
/// A data center's attributes and capacity at one moment: what the capacity directory spreads to every
/// silo, and what the capacity endpoints show. <see cref="Version"/> orders summaries of one data center.
/// </summary>
[GenerateSerializer, Immutable, Alias("broker.data-center-summary")]
public sealed record DataCenterSummary
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required string Provider { get; init; }
    [Id(2)] public required ProviderKind ProviderKind { get; init; }
    [Id(3)] public required string Location { get; init; }
    [Id(4)] public required ProtectionLevel ProtectionLevel { get; init; }
    [Id(5)] public required double RenewableShare { get; init; }
    [Id(6)] public double? Pue { get; init; }
    [Id(7)] public required PoolSummary[] Pools { get; init; }
    [Id(8)] public required long Version { get; init; }
    /// <summary>The silo that hosts this data center's grain now, and the provider that silo runs for.</summary>
    [Id(9)] public string? HostSilo { get; init; }
    [Id(10)] public string? HostProvider { get; init; }
    /// <summary>Being drained: it takes nothing new, so a request does not ask it.</summary>
    [Id(11)] public bool Draining { get; init; }

    public PoolSummary? Pool(string resource) => Array.Find(Pools, p => p.Resource == resource);

    /// <summary>A registered data center's attributes with its pools as counted now.</summary>
    public static DataCenterSummary Of(string provider, ProviderKind kind, Federation.DataCenterDefinition definition, PoolSummary[] pools, long version) => new()
    {
        Id = definition.Id,
        Provider = provider,
        ProviderKind = kind,
        Location = definition.Location,
        ProtectionLevel = definition.ProtectionLevel,
        RenewableShare = definition.RenewableShare,
        Pue = definition.Pue,
        Pools = pools,
        Version = version,
    };
}

[GenerateSerializer, Immutable, Alias("broker.pool-summary")]
public sealed record PoolSummary
{
    [Id(0)] public required string Resource { get; init; }
    [Id(1)] public required long Total { get; init; }
    /// <summary>What the pool may give out at most: <c>floor(total × allocationRatio)</c>.</summary>
    [Id(2)] public required long Capacity { get; init; }
    [Id(3)] public required long Headroom { get; init; }
    [Id(4)] public required long Allocated { get; init; }
    [Id(5)] public required long Held { get; init; }
    [Id(6)] public required long MinUnit { get; init; }
    [Id(7)] public required long MaxUnit { get; init; }
    [Id(8)] public required long Step { get; init; }
    [Id(9)] public required decimal PricePerUnitHour { get; init; }
    [Id(10)] public required double AllocationRatio { get; init; }

    /// <summary>Free for a request of the given priority: only high priority may use the headroom.</summary>
    public long FreeFor(Priority priority) =>
        Math.Max(0, Capacity - Allocated - Held - (priority == Priority.High ? 0 : Headroom));

    public double Utilisation => Capacity == 0 ? 1.0 : (double)(Allocated + Held) / Capacity;

    /// <summary>Whether the pool's unit rules admit this amount at all (min, max, step).</summary>
    public bool AcceptsAmount(long amount) => amount >= MinUnit && amount <= MaxUnit && amount % Step == 0;
}
