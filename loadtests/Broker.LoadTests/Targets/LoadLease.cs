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

/// <summary>Enum values as the API spells them.</summary>
public static class Naming
{
    public static string Kebab<T>(T value) where T : struct, Enum => System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());
}
