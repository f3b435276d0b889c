using System.Diagnostics;

namespace Broker.Faults.Lab;

/// <summary>Runs a script or a command to its end and returns what it printed; a failure says what it printed.</summary>
public static class Shell
{
    public static Task<(int ExitCode, string Output)> RunAsync(string script, params string[] args) =>
        ExecAsync(null, "bash", [script, .. args]);

    public static async Task<string> RunOrThrowAsync(string script, params string[] args) =>
        Checked(await RunAsync(script, args), script, args);

    /// <summary>Runs <paramref name="file"/> with <paramref name="environment"/> added to this process's own.</summary>
    public static Task<(int ExitCode, string Output)> ExecAsync(IReadOnlyDictionary<string, string>? environment, string file, params string[] args) =>
        ExecAsync(environment, TimeSpan.FromMinutes(2), file, args);

    /// <summary>Runs <paramref name="file"/> as above, waiting up to <paramref name="timeout"/> (a script that builds and starts a cluster takes longer).</summary>
    public static async Task<(int ExitCode, string Output)> ExecAsync(IReadOnlyDictionary<string, string>? environment, TimeSpan timeout, string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(timeout);
        return (process.ExitCode, (await output) + (await error));
    }

    public static async Task<string> ExecOrThrowAsync(IReadOnlyDictionary<string, string>? environment, string file, params string[] args) =>
        Checked(await ExecAsync(environment, file, args), file, args);

    public static async Task<string> ExecOrThrowAsync(IReadOnlyDictionary<string, string>? environment, TimeSpan timeout, string file, params string[] args) =>
        Checked(await ExecAsync(environment, timeout, file, args), file, args);

    private static string Checked((int ExitCode, string Output) result, string file, string[] args) =>
        result.ExitCode == 0 ? result.Output.Trim() : throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited with {result.ExitCode}: {result.Output}");
}
