using System.ComponentModel.DataAnnotations;

namespace Broker.Grains.DataCenters.Drain;

/// <summary>How a drain paces its moves (<c>Broker:Drain</c>).</summary>
public sealed class DrainOptions
{
    public const string Section = "Broker:Drain";

    /// <summary>
    /// Moves one drain has in flight at once at most: each is a negotiation like a new request's, so a drain of a busy
    /// data center adds at most this many to what the federation decides at a time.
    /// </summary>
    [Range(1, 256)]
    public int MaxMovesInFlight { get; set; } = 8;

    /// <summary>How often a drain looks at what its data center still holds: moves what is new to it, retries what was stuck.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan PassInterval { get; set; } = TimeSpan.FromSeconds(2);
}
