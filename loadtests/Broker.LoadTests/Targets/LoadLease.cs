namespace Broker.LoadTests.Targets;

/// <summary>
/// The lease every load request asks for. The harness releases each allocation after its hold time; the
/// lease only matters if the harness dies mid-run: then the broker takes the capacity back within the hour.
/// </summary>
public static class LoadLease
{
    public const string Iso = "PT1H";

    public static readonly TimeSpan Duration = TimeSpan.FromHours(1);
}
