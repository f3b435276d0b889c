namespace Broker.DataCenters;

/// <summary>Why a data center declines to offer; they appear in a request's decision trace.</summary>
public static class DeclineReasons
{
    public const string InsufficientCapacity = "insufficient-capacity";

    /// <summary>It would fit but for other requests' holds, which end within one negotiation round.</summary>
    public const string CapacityHeld = "capacity-held";

    public const string ResourceNotOffered = "resource-not-offered";

    public const string UnitMismatch = "unit-mismatch";

    public const string NotRegistered = "not-registered";

    public const string Unreachable = "unreachable";

    public const string ContractVolumeExhausted = "contract-volume-exhausted";

    /// <summary>The data center is being drained: it takes nothing new.</summary>
    public const string Draining = "draining";

    /// <summary>
    /// It would fit now, but the lease overlaps a window whose capacity is reserved (a reservation ahead): ordinary
    /// allocations do not take reserved capacity.
    /// </summary>
    public const string CapacityReserved = "capacity-reserved";

    /// <summary>A reservation's window has begun already: it is no reservation any more.</summary>
    public const string WindowStarted = "window-started";

    /// <summary>
    /// Another negotiation of the same request holds an allocation here (two activations of one request during a
    /// membership change): not a decline to decide on — the asking negotiation fails as a fault and the retry reaches
    /// the activation that will decide.
    /// </summary>
    public const string NegotiatedElsewhere = "negotiated-elsewhere";
}
