using System.Text;

namespace Broker.Tests.Api;

/// <summary>
/// With <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> set, a broker sends its traces — HTTP requests and the grain calls behind
/// them — and its logs to that collector over OTLP (here OTLP/HTTP, to a stand-in on loopback).
/// </summary>
public sealed class OtlpExportTests : IAsyncLifetime
{
    private OtlpReceiver _collector = null!;
    private BrokerFixture _broker = null!;

    public async Task InitializeAsync()
    {
        _collector = await OtlpReceiver.StartAsync();
        _broker = new BrokerFixture
        {
            ExtraSettings =
            [
                "--OTEL_EXPORTER_OTLP_ENDPOINT", _collector.Endpoint.ToString(),
                "--OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf",
                // Batches leave every 100 ms instead of every 5 s (spans) and 1 s (logs): the test waits less.
                "--OTEL_BSP_SCHEDULE_DELAY", "100",
                "--OTEL_BLRP_SCHEDULE_DELAY", "100",
                "--Logging:LogLevel:Default", "Information",
            ],
        };
        await _broker.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _broker.DisposeAsync();
        await _collector.DisposeAsync();
    }

    [Fact]
    public async Task EndpointSet_TracesOfRequestsAndGrainCalls_AndLogs_ExportedOverOtlp()
    {
        var world = await _broker.CreateWorldAsync(w =>
            w.Tenant("t", w.Member("home", "DE-HH").DataCenter("dc", "DE-HH", ProtectionLevel.Normal, Pool("storage.ssd", 100, 0.0001m))));
        Assert.Equal("allocated", (await world.RequestAsync("t", world.Body("storage.ssd", 10))).Body.State());

        // OTLP bodies are protobuf, in which strings are their UTF-8 bytes: the route of the HTTP span, the scope of
        // Orleans' grain-call spans and the category of the host's own log lines.
        await Eventually.ReturnsAsync(() => Task.FromResult(_collector.Exports("/v1/traces")), bodies => Holds(bodies, "/v1/requests/"), "a span of POST /v1/requests");
        await Eventually.ReturnsAsync(() => Task.FromResult(_collector.Exports("/v1/traces")), bodies => Holds(bodies, "Microsoft.Orleans.Application"), "spans of grain calls");
        await Eventually.ReturnsAsync(() => Task.FromResult(_collector.Exports("/v1/logs")), bodies => Holds(bodies, "Microsoft.Hosting.Lifetime"), "the host's log lines");
        Assert.Empty(_collector.Exports("/v1/metrics"));
    }

    private static bool Holds(IReadOnlyList<byte[]> bodies, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return bodies.Any(body => body.AsSpan().IndexOf(bytes) >= 0);
    }
}
