using System.Diagnostics;
using System.Globalization;

namespace Broker.Tests.Cluster;

/// <summary>One silo as a separate operating-system process, as a provider would run it.</summary>
internal sealed class SiloProcess(string provider, int httpPort, int siloPort, int gatewayPort, string[] settings, string logDirectory) : IDisposable
{
    private Process? _process;

    public string Provider => provider;

    public int SiloPort => siloPort;

    public Uri BaseAddress { get; } = new($"http://127.0.0.1:{httpPort}");

    public string LogFile => Path.Combine(logDirectory, $"{provider}.log");

    public bool IsRunning => _process is { HasExited: false };

    public void Start()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(RepoPaths.SiloDll);
        foreach (var argument in settings.Concat(
        [
            $"--Broker:Provider={provider}",
            $"--Broker:SiloPort={siloPort.ToString(CultureInfo.InvariantCulture)}",
            $"--Broker:GatewayPort={gatewayPort.ToString(CultureInfo.InvariantCulture)}",
            "--urls", BaseAddress.ToString().TrimEnd('/'),
        ]))
        {
            start.ArgumentList.Add(argument);
        }

        var log = new StreamWriter(LogFile, append: true) { AutoFlush = true };
        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => Write(log, e.Data);
        _process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        _process.Exited += (_, _) => Write(log, "== process exited");
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Waits until the silo answers ready, or says what its log shows.</summary>
    public async Task WaitReadyAsync(TimeSpan deadline)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < deadline)
        {
            if (!IsRunning)
            {
                throw new InvalidOperationException($"silo {provider} exited; its log ends: {Tail()}");
            }

            try
            {
                using var response = await http.GetAsync("/health/ready");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Not answering yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"silo {provider} not ready after {deadline.TotalSeconds} s; its log ends: {Tail()}");
    }

    /// <summary>kill -9: no shutdown, no goodbye to the cluster.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
    }

    public void Dispose()
    {
        Kill();
        _process?.Dispose();
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is not null)
        {
            lock (log)
            {
                log.WriteLine(line);
            }
        }
    }

    private string Tail() => File.Exists(LogFile) ? string.Join('\n', File.ReadLines(LogFile).TakeLast(15)) : "(no log)";
}
