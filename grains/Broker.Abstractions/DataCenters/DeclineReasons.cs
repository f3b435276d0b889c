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

    /// <summary>
    /// Another negotiation of the same request holds an allocation here (two activations of one request during a
    /// membership change): not a decline to decide on — the asking negotiation fails as a fault and the retry reaches
    /// the activation that will decide.
    /// </summary>
    public const string NegotiatedElsewhere = "negotiated-elsewhere";
}
