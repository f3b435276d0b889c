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
}
