using System.Diagnostics;

namespace Broker.LoadTests.Running;

/// <summary>Runs one of the project's bash scripts and hands back what it printed.</summary>
public static class Script
{
    /// <summary>Runs <c>bash script args…</c>; a non-zero exit throws with what the script wrote to stderr.</summary>
    public static async Task<string> RunAsync(string script, IEnumerable<string> args, CancellationToken cancellationToken)
    {
        using var process = Process.Start(new ProcessStartInfo("bash", [script, .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        var output = await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{script} {string.Join(' ', args)} failed ({process.ExitCode}): {await error}");
        }

        return output;
    }
}
