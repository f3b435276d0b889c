using Broker.Audit;
using Broker.Requests;

namespace Broker.Grains.DataCenters.Drain;

/// <summary>
/// A drain as it is stored: whether it runs, why and since when, what it could not move (and why), and its audit
/// events not yet known to be in the trail. What it moved is counted by the data center, in the write of each release.
/// </summary>
[GenerateSerializer, Alias("broker.drain-record")]
public sealed class DrainRecord
{
    [Id(0)] public bool Draining { get; set; }
    [Id(1)] public string? Reason { get; set; }
    [Id(2)] public DateTimeOffset StartedAt { get; set; }

    /// <summary>Request id → why its allocation could not move, kept while it is still there.</summary>
    [Id(3)] public Dictionary<string, StuckMove> Stuck { get; set; } = [];

    /// <summary>Drains of this data center so far: names this one's audit events apart from earlier drains'.</summary>
    [Id(4)] public int Number { get; set; }

    [Id(5)] public AuditEvent[] AuditPending { get; set; } = [];

    /// <summary>A copy for one write: the storage may serialize it while the next (reentrant) turn changes the live one.</summary>
    public DrainRecord Copy() => new()
    {
        Draining = Draining,
        Reason = Reason,
        StartedAt = StartedAt,
        Stuck = new Dictionary<string, StuckMove>(Stuck),
        Number = Number,
        AuditPending = AuditPending,
    };
}

/// <summary>Why a move found no place, what the part needs elsewhere, and how often it was tried.</summary>
[GenerateSerializer, Immutable, Alias("broker.stuck-move")]
public sealed record StuckMove([property: Id(0)] string Reason, [property: Id(1)] RequestItem[] Needs, [property: Id(2)] int Attempts);
