namespace Broker.Federation;

/// <summary>
/// The federation's membership: the merged federation document and its version. Every silo caches it
/// and refreshes when the version moves; nothing on a request's hot path calls this grain.
/// </summary>
[Alias("broker.IFederationGrain")]
public interface IFederationGrain : IGrainWithStringKey
{
    /// <summary>Merges <paramref name="change"/> (made by <paramref name="by"/>, for the audit trail) into the document by id and returns the new version.</summary>
    [Alias("UpsertAsync")]
    Task<long> UpsertAsync(FederationDocument change, Broker.Audit.AuditActor by);

    /// <summary>The document if its version is newer than <paramref name="knownVersion"/>, otherwise null.</summary>
    [Alias("GetIfNewerAsync")]
    Task<VersionedFederation?> GetIfNewerAsync(long knownVersion);
}

[GenerateSerializer, Immutable, Alias("broker.versioned-federation")]
public sealed record VersionedFederation([property: Id(0)] long Version, [property: Id(1)] FederationDocument Document);

public static class FederationGrainKeys
{
    /// <summary>There is one federation per cluster.</summary>
    public const string Singleton = "federation";
}
