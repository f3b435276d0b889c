using Broker.DataCenters;

namespace Broker.Directory;

/// <summary>
/// One slice of the capacity directory. Data centers push their summaries here when they change; every
/// silo pulls the changes into its local copy, so requests read the directory without any grain call.
/// Soft state: data centers republish on activation and periodically, so a restarted partition refills.
/// </summary>
[Alias("broker.IDirectoryPartitionGrain")]
public interface IDirectoryPartitionGrain : IGrainWithIntegerKey
{
    [Alias("PublishAsync")]
    Task PublishAsync(DataCenterSummary summary);

    /// <summary>
    /// The summaries changed since <paramref name="sinceVersion"/> of the partition's <paramref name="epoch"/>;
    /// everything when the epoch differs (the partition restarted and counts anew).
    /// </summary>
    [Alias("GetChangesAsync")]
    Task<DirectoryChanges> GetChangesAsync(Guid epoch, long sinceVersion);
}

[GenerateSerializer, Immutable, Alias("broker.directory-changes")]
public sealed record DirectoryChanges(
    [property: Id(0)] Guid Epoch,
    [property: Id(1)] long Version,
    [property: Id(2)] DataCenterSummary[] Changed);

public static class DirectoryPartitions
{
    /// <summary>Enough slices to spread pushes; few enough that every silo polls them all cheaply.</summary>
    public const int Count = 16;

    public static int Of(string dataCenterId)
    {
        // A stable hash: string.GetHashCode differs per process, and every silo must agree.
        uint hash = 2166136261;
        foreach (var c in dataCenterId)
        {
            hash = (hash ^ c) * 16777619;
        }

        return (int)(hash % Count);
    }
}
