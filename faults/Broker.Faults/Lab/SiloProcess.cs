using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Broker.Faults.Lab;

/// <summary>Where one silo listens: its HTTP API, its silo-to-silo port and its gateway, all on <see cref="Host"/>.</summary>
public sealed record SiloEndpoints(string Host, int HttpPort, int SiloPort, int GatewayPort)
{
    public static SiloEndpoints Loopback(int httpPort, int siloPort, int gatewayPort) => new("127.0.0.1", httpPort, siloPort, gatewayPort);
}

/// <summary>
/// One silo as a separate operating-system process, as a provider would run it — on this machine's loopback,
/// or inside a network namespace of its own (<paramref name="networkNamespace"/>), where a fault run can cut it off.
/// </summary>
public sealed class SiloProcess(string provider, SiloEndpoints endpoints, string[] settings, string logDirectory, string? networkNamespace = null) : IDisposable
{
    private const int SigStop = 19;
    private const int SigCont = 18;
    private Process? _process;

    public string Provider => provider;

    public int SiloPort => endpoints.SiloPort;

    public Uri BaseAddress { get; } = new($"http://{endpoints.Host}:{endpoints.HttpPort}");

    public string LogFile => Path.Combine(logDirectory, $"{provider}.log");

    public bool IsRunning => _process is { HasExited: false };

    public void Start()
    {
        var start = new ProcessStartInfo(networkNamespace is null ? "dotnet" : "ip") { RedirectStandardOutput = true, RedirectStandardError = true };

        // A home of its own, as on a machine of its own: what a silo keeps under its home directory (ASP.NET Core's
        // default data protection keys, say) is not another silo's, so only what the cluster shares on purpose is shared.
        start.Environment["HOME"] = System.IO.Directory.CreateDirectory(Path.Combine(logDirectory, $"home-{provider}")).FullName;
        if (networkNamespace is not null)
        {
            // `ip netns exec` enters the namespace and then execs dotnet: the process is the silo itself, so signals reach it.
            foreach (var arg in new[] { "netns", "exec", networkNamespace, "dotnet" })
            {
                start.ArgumentList.Add(arg);
            }
        }

        start.ArgumentList.Add(RepoPaths.SiloDll);
        foreach (var argument in settings.Concat(
        [
            $"--Broker:Provider={provider}",
            $"--Broker:SiloAddress={endpoints.Host}",
            $"--Broker:SiloPort={endpoints.SiloPort.ToString(CultureInfo.InvariantCulture)}",
            $"--Broker:GatewayPort={endpoints.GatewayPort.ToString(CultureInfo.InvariantCulture)}",
            "--urls", BaseAddress.ToString().TrimEnd('/'),
        ]))
        {
            start.ArgumentList.Add(argument);
        }

        var log = new StreamWriter(LogFile, append: true) { AutoFlush = true };
        Write(log, $"== starting at {DateTimeOffset.UtcNow:O}");
        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => Write(log, e.Data);
        _process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        _process.Exited += (_, _) => Write(log, $"== process exited at {DateTimeOffset.UtcNow:O}");
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

    /// <summary>SIGSTOP: the process stays, its sockets stay open, and it answers nothing until <see cref="Resume"/>.</summary>
    public void Pause() => Signal(SigStop);

    /// <summary>SIGCONT: a paused silo runs on, with its activations and timers as they were.</summary>
    public void Resume() => Signal(SigCont);

    public void Dispose()
    {
        Resume(); // a stopped process cannot be waited for after its kill until it runs again
        Kill();
        _process?.Dispose();
    }

    private void Signal(int signal)
    {
        if (_process is { HasExited: false } process && Kill(process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"signal {signal} to silo {provider} (pid {process.Id}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

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

    public string Tail() => File.Exists(LogFile) ? string.Join('\n', File.ReadLines(LogFile).TakeLast(15)) : "(no log)";
}
