namespace Broker;

/// <summary>
/// The cluster's database could not be reached. Grains raise this instead of the database driver's own
/// exceptions, which cannot cross silos; the HTTP edge answers it with 503 and Retry-After.
/// </summary>
[GenerateSerializer, Alias("broker.storage-unavailable")]
public sealed class StorageUnavailableException : Exception
{
    public StorageUnavailableException()
    {
    }

    public StorageUnavailableException(string message)
        : base(message)
    {
    }

    public StorageUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
