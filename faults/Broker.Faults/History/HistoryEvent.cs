using System.Text.Json.Serialization;

namespace Broker.Faults.History;

/// <summary>What a history line records: a client's call begun or ended, a fault, or a sample of the pools.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<EventType>))]
public enum EventType
{
    /// <summary>A call was sent.</summary>
    Invoke,

    /// <summary>The call's effect is known to have happened (the broker answered with what it stored).</summary>
    Ok,

    /// <summary>The call is known to have changed nothing (a definite refusal: 400, 404, 409, 429).</summary>
    Fail,

    /// <summary>Whether the call had an effect is not known: a timeout, a lost connection, a 5xx.</summary>
    Unknown,

    /// <summary>The nemesis began a fault.</summary>
    Fault,

    /// <summary>The nemesis ended a fault (the silo restarted, the link came up, the database was back).</summary>
    Heal,

    /// <summary>The pools as the data centers reported them.</summary>
    Sample,
}

/// <summary>The call a client made.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Operation>))]
public enum Operation
{
    Create,
    Renew,
    Release,
    Read,
    Pools,
    Nemesis,
}

/// <summary>
/// One line of the history. An operation is two lines with the same <see cref="Op"/>: its invoke and its
/// completion (ok, fail or unknown). <see cref="At"/> is the wall clock (UTC) of this machine, which the silos share.
/// </summary>
public sealed record HistoryEvent
{
    public required long Op { get; init; }
    public required EventType Type { get; init; }
    public required Operation F { get; init; }
    public required DateTimeOffset At { get; init; }

    /// <summary>The client that made the call (one call at a time each), or -1 for the nemesis and the sampler.</summary>
    public int Process { get; init; } = -1;

    /// <summary>The silo called, or the silo a fault hit.</summary>
    public int? Silo { get; init; }

    public string? Tenant { get; init; }
    public string? Key { get; init; }
    public string? RequestId { get; init; }

    /// <summary>On a create's invoke: the body as sent.</summary>
    public BodySpec? Body { get; init; }

    /// <summary>On a renew's invoke: the lease asked for.</summary>
    public string? Lease { get; init; }

    public int? Status { get; init; }

    /// <summary>A problem answer's stable code, a fault's kind.</summary>
    public string? Code { get; init; }

    /// <summary>The request as the answer showed it.</summary>
    public RequestView? Request { get; init; }

    public PoolView[]? Pools { get; init; }

    public string? Error { get; init; }
}
