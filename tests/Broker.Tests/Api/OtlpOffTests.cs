using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Trace;

namespace Broker.Tests.Api;

/// <summary>Without <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> a broker makes no spans and exports no logs: only /metrics.</summary>
public sealed class OtlpOffTests() : OwnBroker
{
    [Fact]
    public void EndpointUnset_NoTracerAndNoLogExporter()
    {
        Assert.Null(Broker.Services.GetService<TracerProvider>());
        Assert.DoesNotContain(Broker.Services.GetServices<ILoggerProvider>(), provider => provider.GetType().Namespace!.StartsWith("OpenTelemetry", StringComparison.Ordinal));
    }
}
