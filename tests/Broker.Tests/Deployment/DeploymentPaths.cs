namespace Broker.Tests.Deployment;

/// <summary>The deployment files and scripts the tests run or read, in this checkout.</summary>
internal static class DeploymentPaths
{
    public static string Deploy { get; } = Path.Combine(RepoPaths.Root, "deploy");

    public static string LocalClusterScript { get; } = Path.Combine(Deploy, "local-cluster.sh");

    public static string BackupScript { get; } = Path.Combine(Deploy, "postgres", "backup.sh");

    public static string ContainerDirectory { get; } = Path.Combine(Deploy, "container");

    public static string ProductionOverlay { get; } = Path.Combine(Deploy, "kubernetes", "overlays", "production");
}
