namespace Broker.Faults.Lab;

/// <summary>Where the repository and the built silo are, seen from the running assembly (a test or the fault run).</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The silo built in the same configuration as the running assembly (Debug or Release).</summary>
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
