namespace Broker.Domain;

/// <summary>Why a request was rejected; the API spells these as kebab-case codes.</summary>
public enum RejectionCode
{
    /// <summary>Some data centers meet the hard constraints, but none has the free capacity now.</summary>
    NoCapacity = 0,
    /// <summary>No data center in the federation meets the hard constraints at all.</summary>
    Unsatisfiable = 1,
    /// <summary>Data centers meet the constraints, but every one of them costs more than the request allows.</summary>
    OverBudget = 2,
    QuotaExceeded = 3,
    /// <summary>
    /// The broker itself failed before it could decide: data centers it had to ask could not be reached (their silo or
    /// its database out of reach). Nothing is allocated; a client may try again with a new key.
    /// </summary>
    NegotiationFailed = 4,
}
