using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json;

namespace Broker.Tests.Api.OpenApi;

/// <summary>
/// Stoplight Prism as a proxy in front of a real broker: it forwards every call unchanged and checks each request
/// and answer against the OpenAPI document, naming what the document does not describe in an <c>sl-violations</c>
/// header. It runs without <c>--errors</c>, so a call that is wrong on purpose still reaches the broker (with it,
/// Prism would answer such calls itself) and only the broker's answers are judged.
/// </summary>
internal sealed class ValidatingProxy : IAsyncDisposable
{
    private readonly Process _process;

    private ValidatingProxy(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<ValidatingProxy> StartAsync(string document, Uri upstream)
    {
        var port = FreePorts.Take(1)[0];
        var process = OpenApiTools.Start(await OpenApiTools.PathOfAsync("prism"), "proxy", document, upstream.ToString().TrimEnd('/'), "--host", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var log = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var proxy = new ValidatingProxy(process, new Uri($"http://127.0.0.1:{port}"));
        await Eventually.ReturnsAsync(
            async () => process.HasExited ? true : await ListensAsync(port),
            done => done,
            $"prism listening on {port} (its output: {log})",
            TimeSpan.FromSeconds(90));
        Assert.False(process.HasExited, $"prism exited: {log}");
        return proxy;
    }

    /// <summary>What the proxy found wrong with the broker's answer (never the request's: some are wrong on purpose).</summary>
    public static string[] AnswerViolations(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("sl-violations", out var values))
        {
            return [];
        }

        return values
            .SelectMany(v => JsonDocument.Parse(v).RootElement.EnumerateArray().Select(e => e.Clone()).ToArray())
            .Where(v => v.GetProperty("location")[0].GetString() == "response")
            .Select(v => v.ToString())
            .ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static async Task<bool> ListensAsync(int port)
    {
        using var probe = new TcpClient();
        try
        {
            await probe.ConnectAsync(System.Net.IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
