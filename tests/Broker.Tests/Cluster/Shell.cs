using System.Diagnostics;

namespace Broker.Tests.Cluster;

/// <summary>Runs a script to its end and returns what it printed; a failure says what it printed.</summary>
internal static class Shell
{
    public static async Task<(int ExitCode, string Output)> RunAsync(string script, params string[] args)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return (process.ExitCode, (await output) + (await error));
    }

    public static async Task<string> RunOrThrowAsync(string script, params string[] args)
    {
        var (exitCode, output) = await RunAsync(script, args);
        return exitCode == 0 ? output.Trim() : throw new InvalidOperationException($"{script} {string.Join(' ', args)} exited with {exitCode}: {output}");
    }
}
