using Broker.LoadTests.Running;

namespace Broker.LoadTests.Report;

/// <summary>
/// Everything one run measured: written as <c>result.json</c>, summarised in <c>summary.md</c>, drawn in the charts.
/// <paramref name="Keep"/>: allocations were released only at the end of each phase; <paramref name="Fill"/>: a fill run's own figures;
/// <paramref name="Booking"/>: election-booked's reservations; <paramref name="Drain"/>: the drain scenario's drain.
/// </summary>
public sealed record RunResult(
    string Scenario,
    string Mode,
    string? Target,
    int Seed,
    double DurationSeconds,
    double Rate,
    DateTimeOffset StartedAt,
    MachineInfo Machine,
    WorldInfo World,
    string? SpikeState,
    IReadOnlyList<PhaseResult> Phases,
    CeilingResult? Ceiling,
    bool Keep = false,
    FillResult? Fill = null,
    SpikeBookingResult? Booking = null,
    DrainResult? Drain = null)
{
    /// <summary>Whether every phase kept the invariants (no overcommit, every request terminal, everything given back).</summary>
    public bool InvariantsHold => Phases.All(p => p.Invariants.Hold);
}

public sealed record MachineInfo(int Cores, string Os, string Runtime)
{
    public static MachineInfo Current() => new(
        Environment.ProcessorCount,
        System.Runtime.InteropServices.RuntimeInformation.OSDescription,
        System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription);
}

public sealed record WorldInfo(int Providers, int DataCenters, int Tenants, int PlannedRequests);
