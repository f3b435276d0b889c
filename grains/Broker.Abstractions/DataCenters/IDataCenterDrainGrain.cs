using Broker.Audit;

namespace Broker.DataCenters;

/// <summary>
/// The drain of one data center (key: its id): while it runs, the data center takes no new holds or allocations and
/// each of its allocations is moved elsewhere, make-before-break, by its own request. The drain owns its progress
/// (moved, stuck); the data center owns its capacity and only refuses new work while told it is draining.
/// </summary>
[Alias("broker.IDataCenterDrainGrain")]
public interface IDataCenterDrainGrain : IGrainWithStringKey
{
    /// <summary>Starts the drain, durably, or answers for the one already running (<see cref="DrainStart.Started"/> false).</summary>
    [Alias("StartAsync")]
    Task<DrainStart> StartAsync(string? reason, AuditActor by);

    /// <summary>The drain as it is now: <see cref="DrainState.None"/> when none runs.</summary>
    [Alias("GetAsync")]
    Task<DrainStatus> GetAsync();

    /// <summary>Ends the drain: the data center takes allocations again. Ending none is a no-op.</summary>
    [Alias("StopAsync")]
    Task<DrainStatus> StopAsync(AuditActor by);
}

public enum DrainState
{
    None = 0,
    /// <summary>Allocations are being moved.</summary>
    Draining = 1,
    /// <summary>Still draining, but nothing movable is left: every allocation left is stuck (or none is left).</summary>
    Drained = 2,
}

[GenerateSerializer, Immutable, Alias("broker.drain-status")]
public sealed record DrainStatus
{
    [Id(0)] public required string DataCenter { get; init; }
    [Id(1)] public required DrainState State { get; init; }
    [Id(2)] public string? Reason { get; init; }
    [Id(3)] public DateTimeOffset? StartedAt { get; init; }
    /// <summary>Allocations moved away since the drain started.</summary>
    [Id(4)] public long Moved { get; init; }
    /// <summary>Allocations still at the data center, the stuck ones among them.</summary>
    [Id(5)] public long Remaining { get; init; }
    [Id(6)] public StuckAllocation[] Stuck { get; init; } = [];

    public static DrainStatus None(string dataCenter) => new() { DataCenter = dataCenter, State = DrainState.None };
}

/// <summary>An allocation the drain could not move (no capacity within its constraints elsewhere), and why; retried.</summary>
[GenerateSerializer, Immutable, Alias("broker.stuck-allocation")]
public sealed record StuckAllocation([property: Id(0)] string Request, [property: Id(1)] string Reason);

[GenerateSerializer, Immutable, Alias("broker.drain-start")]
public sealed record DrainStart([property: Id(0)] bool Started, [property: Id(1)] DrainStatus Status);

/// <summary>What a data center tells its drain: how many allocations it still holds, how many it gave up to moves, and which of those asked about it holds.</summary>
[GenerateSerializer, Immutable, Alias("broker.drain-progress")]
public sealed record DrainProgress([property: Id(0)] long Remaining, [property: Id(1)] long Moved, [property: Id(2)] string[] Held);
