namespace Broker.LoadTests.World;

/// <summary>
/// What authorities ask for, per resource class: how often, and how much (uniform between the bounds).
/// The pools of the load world are sized from these figures, so load and capacity stay in proportion at any rate.
/// </summary>
public sealed record ResourceDemand(string BaseClass, double Share, long MinAmount, long MaxAmount)
{
    public double MeanAmount => (MinAmount + MaxAmount) / 2.0;
}

public static class ResourceMix
{
    public static readonly IReadOnlyList<ResourceDemand> Classes =
    [
        new("storage.ssd", 0.35, 50, 1_000),
        new("storage.hdd", 0.15, 100, 4_000),
        new("storage.object", 0.15, 100, 5_000),
        new("compute.vcpu", 0.20, 1, 16),
        new("compute.memory", 0.15, 4, 128),
    ];

    /// <summary>Mean seconds an allocation is held before the harness releases it.</summary>
    public const double MeanHoldSeconds = 3;

    /// <summary>The share of each home provider's capacity that base demand keeps in use.</summary>
    public const double SteadyUtilisation = 0.45;
}
