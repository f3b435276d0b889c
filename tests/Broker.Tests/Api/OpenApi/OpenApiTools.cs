using System.Diagnostics;

namespace Broker.Tests.Api.OpenApi;

/// <summary>
/// The npm tools the OpenAPI tests run — Redocly's linter and Stoplight's validating proxy — installed once per test
/// run by <c>tests/openapi-tools/install.sh</c> at the versions its lock file pins (a fresh clone needs only node and npm).
/// </summary>
internal static class OpenApiTools
{
    private static readonly Lazy<Task<string>> Bin = new(InstallAsync);

    public static string Directory => Path.Combine(RepoPaths.Root, "tests", "openapi-tools");

    public static async Task<string> PathOfAsync(string tool) => Path.Combine(await Bin.Value, tool);

    /// <summary>The document as the running broker serves it, in a file of its own under <paramref name="directory"/>.</summary>
    public static async Task<string> SaveDocumentAsync(BrokerFixture broker, string directory, Func<string, string>? doctor = null)
    {
        using var client = broker.Client();
        var text = await client.GetStringAsync("/openapi/v1.json");
        System.IO.Directory.CreateDirectory(directory);
        var file = Path.Combine(directory, $"openapi-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, doctor is null ? text : doctor(text));
        return file;
    }

    /// <summary>Starts a tool with the environment the tests want (no telemetry, no update notices).</summary>
    public static Process Start(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Directory };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["REDOCLY_TELEMETRY"] = "off";
        start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
        start.Environment["NO_COLOR"] = "1";
        return Process.Start(start)!;
    }

    private static async Task<string> InstallAsync()
    {
        var (exitCode, output) = await Shell.RunAsync(Path.Combine(Directory, "install.sh"));
        Assert.True(exitCode == 0, $"tests/openapi-tools/install.sh failed ({exitCode}): {output}");
        return Path.Combine(Directory, "node_modules", ".bin");
    }
}
