using System.ComponentModel.DataAnnotations;

namespace Broker.Grains;

/// <summary>How the broker negotiates and ranks; bound from the <c>Broker:Negotiation</c> section.</summary>
public sealed class NegotiationOptions
{
    public const string Section = "Broker:Negotiation";

    /// <summary>How long a data center keeps a hold for a request that has not confirmed it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan HoldTtl { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>K: how many candidates are asked at once. Small on purpose: no request fans out to every data center.</summary>
    [Range(1, 16)]
    public int CandidatesPerRound { get; set; } = 3;

    /// <summary>How many rounds of K candidates a request asks per tier before moving on.</summary>
    [Range(1, 10)]
    public int RoundsPerTier { get; set; } = 2;

    /// <summary>
    /// How many eligible data centers a request ranks at most (a random sample once a class has more). A
    /// federation smaller than this is always ranked whole; a larger one costs the same per request.
    /// </summary>
    [Range(16, 100_000)]
    public int CandidateSample { get; set; } = 256;

    /// <summary>How many of one tenant's requests may negotiate at once (see <c>INegotiationGateGrain</c>).</summary>
    [Range(1, 1_000_000)]
    public int MaxInFlightPerTenant { get; set; } = 1_000;

    /// <summary>How many more passes a request makes when capacity was only held by other requests' offers.</summary>
    [Range(0, 20)]
    public int HeldCapacityRetries { get; set; } = 5;

    /// <summary>The weights of the score that ranks offers within a tier.</summary>
    [Required]
    public ScoreWeights Weights { get; set; } = new();
}

/// <summary>Weights of the ranking score; each term is scaled to 0..1 before weighting.</summary>
public sealed class ScoreWeights
{
    /// <summary>Cheaper is better (cheapest offer / this offer).</summary>
    [Range(0, 100)]
    public double Price { get; set; } = 0.35;

    /// <summary>Less utilised after the hold is better: this is what spreads a spike over idle capacity.</summary>
    [Range(0, 100)]
    public double Balance { get; set; } = 0.35;

    /// <summary>Inside the home provider's regions is best, same country next.</summary>
    [Range(0, 100)]
    public double Locality { get; set; } = 0.2;

    /// <summary>A higher renewable share is better.</summary>
    [Range(0, 100)]
    public double Energy { get; set; } = 0.1;
}

/// <summary>How the capacity directory and the federation view are kept fresh on every silo (<c>Broker:Directory</c>).</summary>
public sealed class DirectoryOptions
{
    public const string Section = "Broker:Directory";

    /// <summary>How often a silo pulls changes from the directory partitions and the federation.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How often a data center republishes itself even when nothing changed (refills restarted partitions).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan RepublishInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often a data center looks for allocations no request acknowledged; one unacknowledged for a whole interval
    /// is asked about (its request's grain may have died between the confirm and its own decision).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan AcknowledgementCheckInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often a data center running away from its owner's silos looks whether it can go home.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan HomeCheckInterval { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>How long request grains stay in memory (<c>Broker:Requests</c>).</summary>
public sealed class RequestOptions
{
    public const string Section = "Broker:Requests";

    /// <summary>
    /// A request grain nobody called for this long is deactivated; it comes back from storage when asked. Most of a
    /// request's life is a lease nobody touches, so this keeps a live allocation's memory to its stored rows.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:20", "1.00:00:00")]
    public TimeSpan IdleDeactivation { get; set; } = TimeSpan.FromMinutes(1);
}

public static class StorageNames
{
    /// <summary>The grain storage every broker grain persists to.</summary>
    public const string Broker = "broker";
}
