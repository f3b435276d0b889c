namespace Broker.Tests.Infrastructure;

/// <summary>A fresh directory under the system's temp folder, removed with everything in it on dispose.</summary>
public sealed class TempDirectory(string purpose) : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"broker-{purpose}-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (System.IO.Directory.Exists(Path))
        {
            System.IO.Directory.Delete(Path, recursive: true);
        }
    }
}
