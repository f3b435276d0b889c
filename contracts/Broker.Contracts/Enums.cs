namespace Broker.Contracts;

// The closed sets of the v1 contract, spelled on the wire in kebab case (very-high, no-capacity). The grains keep enums
// of their own (stored by number); the silo maps between the two by member name, so these name the same members.

/// <summary>BSI-style protection levels, ordered: a data center accredited for a level serves every lower one.</summary>
public enum ProtectionLevel
{
    Normal,
    High,
    VeryHigh,
}

/// <summary>A request's priority; only <see cref="High"/> may use a pool's reserved headroom.</summary>
public enum Priority
{
    Normal,
    High,
}

/// <summary>Negotiating, then allocated or rejected; an allocated request ends released or expired.</summary>
public enum RequestState
{
    Negotiating,
    Allocated,
    Released,
    Expired,
    Rejected,
}

/// <summary>Where an allocation came from, in the order the broker prefers them.</summary>
public enum Tier
{
    /// <summary>The tenant's own provider.</summary>
    Home,
    /// <summary>Another member of the federation.</summary>
    Federation,
    /// <summary>A commercial partner under a contract of the tenant's home provider.</summary>
    Partner,
}

/// <summary>Whether a provider is a public member of the federation or a commercial partner under contract.</summary>
public enum ProviderKind
{
    Member,
    Partner,
}

/// <summary>Who a bill's or statement's counterparty is.</summary>
public enum PartyKind
{
    Provider,
    Tenant,
}

/// <summary>Why a request was rejected.</summary>
public enum RejectionCode
{
    /// <summary>Some data centers meet the hard constraints, but none has the free capacity now.</summary>
    NoCapacity,
    /// <summary>No data center in the federation meets the hard constraints at all.</summary>
    Unsatisfiable,
    /// <summary>Data centers meet the constraints, but every one of them costs more than the request allows.</summary>
    OverBudget,
    /// <summary>The tenant's quota for the class in the federation file would be exceeded.</summary>
    QuotaExceeded,
    /// <summary>The broker could not reach a data center it had to ask; nothing is allocated: try again with a new key.</summary>
    NegotiationFailed,
}

/// <summary>What happened with one data center the broker asked.</summary>
public enum TraceOutcome
{
    /// <summary>Its offer was confirmed.</summary>
    Won,
    /// <summary>It could not serve and said why.</summary>
    Declined,
    /// <summary>It offered, but a better offer won; its hold was cancelled.</summary>
    Outranked,
    /// <summary>Its hold had ended by the time the broker confirmed.</summary>
    ConfirmFailed,
    /// <summary>It offered above the request's budget.</summary>
    OverBudget,
}

/// <summary>A reservation: confirmed or rejected at once; a confirmed one becomes active at its start and ended at its end, or is cancelled before.</summary>
public enum ReservationState
{
    Confirmed,
    Rejected,
    /// <summary>Started: its request is allocated until the reservation's end.</summary>
    Active,
    /// <summary>Its request ended (released, or its lease ran out at the reservation's end).</summary>
    Ended,
    Cancelled,
}

/// <summary>A data center's drain: none, draining (allocations being moved), or drained (nothing movable left, the stuck ones stay).</summary>
public enum DrainState
{
    None,
    Draining,
    Drained,
}
