namespace Broker.Faults.Nemesis;

/// <summary>The faults the nemesis knows.</summary>
public enum FaultKind
{
    /// <summary>kill -9 of a silo, restarted a moment later.</summary>
    Kill,

    /// <summary>SIGSTOP for longer than failure detection, then SIGCONT: a silo declared dead that comes back.</summary>
    Pause,

    /// <summary>PostgreSQL stopped and started again at once.</summary>
    DatabaseRestart,

    /// <summary>PostgreSQL stopped for 10 s.</summary>
    DatabaseOutage,

    /// <summary>One silo cut off from the others, from PostgreSQL and from its clients, then healed.</summary>
    Partition,
}

/// <summary>One fault of the schedule: the calm spell before it (counted from the end of the fault before), what, which silo, for how long.</summary>
public sealed record FaultStep(TimeSpan CalmBefore, FaultKind Kind, int Silo, TimeSpan Duration);

/// <summary>
/// The nemesis's schedule, drawn from the seed: the first round tries every kind once, in an order of the seed's
/// choosing; later rounds draw kinds at random. Between faults the cluster gets a calm spell to recover in.
/// </summary>
public static class FaultPlan
{
    public static readonly TimeSpan DatabaseOutage = TimeSpan.FromSeconds(10);

    /// <summary>More steps than any run plays: the injector stops when the run's time is up.</summary>
    private const int Steps = 1000;

    public static IReadOnlyList<FaultStep> Draw(int seed, int silos, TimeSpan calmMin, TimeSpan calmMax)
    {
        var random = new Random(seed);
        var kinds = Enum.GetValues<FaultKind>();
        var firstRound = kinds.OrderBy(_ => random.Next()).ToArray();
        return Enumerable.Range(0, Steps).Select(n =>
        {
            var kind = n < firstRound.Length ? firstRound[n] : kinds[random.Next(kinds.Length)];
            var duration = kind switch
            {
                FaultKind.Kill => TimeSpan.FromSeconds(1 + (random.NextDouble() * 2)), // until the restart begins
                FaultKind.Pause or FaultKind.Partition => TimeSpan.FromSeconds(6 + (random.NextDouble() * 4)), // failure detection takes ~3-5 s
                FaultKind.DatabaseOutage => DatabaseOutage,
                _ => TimeSpan.Zero,
            };
            return new FaultStep(calmMin + ((calmMax - calmMin) * random.NextDouble()), kind, random.Next(silos), duration);
        }).ToList();
    }
}
