using System.Diagnostics;
using System.Globalization;
using Broker.LoadTests.Report;

namespace Broker.LoadTests.Running;

/// <summary>
/// Reads the silo's memory. In-process (the silo is in this process): a forced, compacting full collection,
/// then the managed heap and the process's working set. Over HTTP: the silo's <c>GET /metrics</c>, if it
/// exposes <c>process_working_set_bytes</c> or a .NET GC heap size; otherwise the figures stay null with a
/// note saying why: a figure the silo does not give is never made up.
/// </summary>
public sealed class SiloMemory(Uri? target) : IDisposable
{
    // Prometheus names a .NET exporter may use for the managed heap, first match wins.
    private static readonly string[] HeapMetrics = ["dotnet_gc_heap_size_bytes", "process_runtime_dotnet_gc_heap_size_bytes", "dotnet_total_memory_bytes"];

    private readonly HttpClient? _http = target is null ? null : new HttpClient { BaseAddress = target, Timeout = TimeSpan.FromSeconds(10) };

    public string Source => target is null
        ? "this process (harness and embedded silo): GC.GetTotalMemory(true) after a forced compacting full collection; working set"
        : $"GET {new Uri(target, "metrics")}";

    public async Task<MemoryReading> ReadAsync(TimeSpan at, CancellationToken cancellationToken)
    {
        var seconds = Math.Round(at.TotalSeconds, 2);
        if (_http is null)
        {
            // Whatever only waits for its finalizer goes too: collect, run the finalizers, collect and compact.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            var managed = GC.GetTotalMemory(forceFullCollection: true);
            using var process = Process.GetCurrentProcess();
            return new MemoryReading(seconds, managed, process.WorkingSet64, null);
        }

        try
        {
            using var response = await _http.GetAsync("metrics", cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return new MemoryReading(seconds, null, null, $"not available: GET /metrics answered {(int)response.StatusCode}");
            }

            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            var workingSet = Metric(text, "process_working_set_bytes");
            var heap = HeapMetrics.Select(m => Metric(text, m)).FirstOrDefault(v => v is not null);
            return workingSet is null && heap is null
                ? new MemoryReading(seconds, null, null, "not available: GET /metrics shows neither process_working_set_bytes nor a .NET GC heap size")
                : new MemoryReading(seconds, heap, workingSet, heap is null ? "no .NET GC heap size in /metrics" : "not after a forced collection: the silo's own figure");
        }
        catch (HttpRequestException e)
        {
            return new MemoryReading(seconds, null, null, $"not available: GET /metrics failed ({e.Message})");
        }
    }

    public void Dispose() => _http?.Dispose();

    /// <summary>
    /// A metric's value in Prometheus text format, summed over its label sets (a heap size per generation
    /// adds up to the heap): <c>name{labels} value [timestamp]</c>.
    /// </summary>
    public static long? Metric(string text, string name)
    {
        double? sum = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith('#') || !line.StartsWith(name, StringComparison.Ordinal) || line.Length == name.Length || line[name.Length] is not ('{' or ' '))
            {
                continue;
            }

            var rest = line[name.Length] == '{' ? line[(line.LastIndexOf('}') + 1)..] : line[name.Length..];
            var value = rest.Trim().Split(' ', 2)[0];
            if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed))
            {
                sum = (sum ?? 0) + parsed;
            }
        }

        return sum is { } s ? (long)s : null;
    }
}
