using Broker.DataCenters;

namespace Broker.Federation;

/// <summary>
/// The federation's membership: the merged federation document and its version. Every silo caches it
/// and refreshes when the version moves; nothing on a request's hot path calls this grain.
/// </summary>
[Alias("broker.IFederationGrain")]
public interface IFederationGrain : IGrainWithStringKey
{
    /// <summary>
    /// Validates the change merged into the stored document and, when sound, stores it as the next version. The
    /// federation file a silo loads at start is applied only when its bytes differ from the file applied last.
    /// </summary>
    [Alias("UpsertAsync")]
    Task<FederationUpsertOutcome> UpsertAsync(FederationUpsert upsert);

    /// <summary>
    /// Changes (or adds) one pool of a data center: the data center refuses to shrink below what is in use, and the
    /// document records what it accepted, so that the pool has one definition, the federation's.
    /// </summary>
    [Alias("SetPoolAsync")]
    Task<PoolChangeResult> SetPoolAsync(string dataCenter, PoolChange change);

    /// <summary>The document if its version is newer than <paramref name="knownVersion"/>, otherwise null.</summary>
    [Alias("GetIfNewerAsync")]
    Task<VersionedFederation?> GetIfNewerAsync(long knownVersion);
}

/// <summary>A change to the federation, by whom; <see cref="FileSha256"/> names the federation file's bytes when a silo loads it.</summary>
[GenerateSerializer, Immutable, Alias("broker.federation-upsert")]
public sealed record FederationUpsert(
    [property: Id(0)] FederationDocument Change,
    [property: Id(1)] Broker.Audit.AuditActor By,
    [property: Id(2)] string? FileSha256 = null);

/// <summary>
/// The version now; <see cref="Applied"/> false when nothing was stored: the errors (by path in the change sent),
/// or the same federation file as the one applied last.
/// </summary>
[GenerateSerializer, Immutable, Alias("broker.federation-upsert-outcome")]
public sealed record FederationUpsertOutcome(
    [property: Id(0)] long Version,
    [property: Id(1)] bool Applied,
    [property: Id(2)] Dictionary<string, string[]> Errors)
{
    public static FederationUpsertOutcome Invalid(long version, Dictionary<string, string[]> errors) => new(version, false, errors);
}

[GenerateSerializer, Immutable, Alias("broker.versioned-federation")]
public sealed record VersionedFederation([property: Id(0)] long Version, [property: Id(1)] FederationDocument Document);

public static class FederationGrainKeys
{
    /// <summary>There is one federation per cluster.</summary>
    public const string Singleton = "federation";
}
