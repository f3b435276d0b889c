namespace Broker.Tests.Cluster;

/// <summary>Where the repository and the built silo are, seen from the test assembly.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The silo built in the same configuration as these tests (Debug or Release).</summary>
    public static string SiloDll
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
            var dll = Path.Combine(Root, "silos", "Broker.Silo", "bin", configuration, "net10.0", "Broker.Silo.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException($"The silo is not built at {dll}", dll);
        }
    }

    public static string PgScript => Path.Combine(Root, "deploy", "postgres", "pg.sh");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Broker.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("Broker.sln not found above " + AppContext.BaseDirectory);
    }
}
