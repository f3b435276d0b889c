namespace Broker.Faults;

/// <summary>A fault run's parameters: everything it does is drawn from <see cref="Seed"/>, and it stops by itself at its time or its count.</summary>
public sealed record FaultRunOptions
{
    public int Seed { get; init; } = 1;
    public TimeSpan Duration { get; init; } = TimeSpan.FromMinutes(2);
    public long MaxOperations { get; init; } = 1_000_000;
    public int Clients { get; init; } = 24;
    public required string OutDirectory { get; init; }

    /// <summary>The shortest and longest calm spell between two faults.</summary>
    public TimeSpan CalmMin { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan CalmMax { get; init; } = TimeSpan.FromSeconds(9);
}
