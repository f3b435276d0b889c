using System.Text.Json;
using System.Text.Json.Serialization;

namespace Broker.Faults.History;

/// <summary>
/// The run's history as it happens: every line is kept in memory for the checker and written to a JSON-lines
/// file at once, so that a run that dies still leaves what it saw.
/// </summary>
public sealed class HistoryLog : IDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly List<HistoryEvent> _events = [];
    private readonly StreamWriter? _file;
    private long _nextOp;

    public HistoryLog(string? path)
    {
        _file = path is null ? null : new StreamWriter(path, append: false);
    }

    public long NextOp() => Interlocked.Increment(ref _nextOp);

    public void Append(HistoryEvent e)
    {
        var line = _file is null ? null : JsonSerializer.Serialize(e, Json);
        lock (_events)
        {
            _events.Add(e);
            _file?.WriteLine(line);
        }
    }

    public IReadOnlyList<HistoryEvent> Snapshot()
    {
        lock (_events)
        {
            _file?.Flush();
            return [.. _events];
        }
    }

    public static IReadOnlyList<HistoryEvent> Read(string path) =>
        File.ReadLines(path).Where(l => l.Length > 0).Select(l => JsonSerializer.Deserialize<HistoryEvent>(l, Json)!).ToList();

    public void Dispose()
    {
        lock (_events)
        {
            _file?.Dispose();
        }
    }
}
