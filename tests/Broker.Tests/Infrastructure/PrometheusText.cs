using System.Globalization;
using System.Text;

namespace Broker.Tests.Infrastructure;

/// <summary>One line of a scrape: a series (name and labels) and its value.</summary>
public sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
{
    public override string ToString() =>
        $"{Name}{{{string.Join(",", Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}=\"{l.Value}\""))}}} {Value.ToString(CultureInfo.InvariantCulture)}";
}

/// <summary>
/// A scrape in the Prometheus text exposition format (version 0.0.4), parsed line by line as the format defines it —
/// metadata comments, label values with their escapes, the special values — so that tests compare numbers, not text.
/// </summary>
public sealed class PrometheusText
{
    private readonly List<PrometheusSample> _samples = [];
    private readonly Dictionary<string, string> _types = new(StringComparer.Ordinal);

    private PrometheusText()
    {
    }

    public IReadOnlyList<PrometheusSample> Samples => _samples;

    public static PrometheusText Parse(string text)
    {
        var scrape = new PrometheusText();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith('#'))
            {
                var parts = line.Split(' ', 4, StringSplitOptions.RemoveEmptyEntries);
                if (parts is ["#", "TYPE", var name, var type])
                {
                    scrape._types[name] = type;
                }

                continue;
            }

            scrape._samples.Add(ParseSample(line));
        }

        return scrape;
    }

    /// <summary>The metric family's declared type (<c>counter</c>, <c>gauge</c>, <c>histogram</c>, …), or null if undeclared.</summary>
    public string? TypeOf(string family) => _types.GetValueOrDefault(family);

    /// <summary>The series of <paramref name="name"/> whose labels include all of <paramref name="labels"/>.</summary>
    public IReadOnlyList<PrometheusSample> Matching(string name, params (string Name, string Value)[] labels) =>
        _samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Name, out var v) && v == l.Value)).ToList();

    /// <summary>The value of the one series of <paramref name="name"/> with these labels; fails if none or several match.</summary>
    public double Value(string name, params (string Name, string Value)[] labels)
    {
        var matches = Matching(name, labels);
        return matches.Count == 1
            ? matches[0].Value
            : throw new InvalidOperationException($"{matches.Count} series of {name} with {string.Join(",", labels)}; the scrape has: {string.Join("; ", _samples.Where(s => s.Name == name))}");
    }

    /// <summary>As <see cref="Value"/>, with 0 where no series matches yet (a counter or histogram nothing has touched).</summary>
    public double ValueOrZero(string name, params (string Name, string Value)[] labels) =>
        Matching(name, labels).Count == 0 ? 0 : Value(name, labels);

    private static PrometheusSample ParseSample(string line)
    {
        var position = 0;
        var name = ReadName(line, ref position);
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (position < line.Length && line[position] == '{')
        {
            position++;
            while (line[position] != '}')
            {
                var label = ReadName(line, ref position);
                Expect(line, ref position, '=');
                labels.Add(label, ReadQuoted(line, ref position));
                if (line[position] == ',')
                {
                    position++;
                }
            }

            position++;
        }

        // The value, then an optional timestamp in milliseconds.
        var rest = line[position..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (rest.Length is < 1 or > 2)
        {
            throw new FormatException($"not a sample line: {line}");
        }

        return new PrometheusSample(name, labels, ParseValue(rest[0], line));
    }

    private static string ReadName(string line, ref int position)
    {
        var start = position;
        while (position < line.Length && (char.IsAsciiLetterOrDigit(line[position]) || line[position] is '_' or ':'))
        {
            position++;
        }

        return position > start ? line[start..position] : throw new FormatException($"a name expected at {start}: {line}");
    }

    private static string ReadQuoted(string line, ref int position)
    {
        Expect(line, ref position, '"');
        var value = new StringBuilder();
        while (line[position] != '"')
        {
            if (line[position] == '\\')
            {
                position++;
                value.Append(line[position] switch
                {
                    'n' => '\n',
                    '\\' => '\\',
                    '"' => '"',
                    var other => throw new FormatException($"unknown escape \\{other}: {line}"),
                });
            }
            else
            {
                value.Append(line[position]);
            }

            position++;
        }

        position++;
        return value.ToString();
    }

    private static void Expect(string line, ref int position, char expected)
    {
        if (line[position] != expected)
        {
            throw new FormatException($"'{expected}' expected at {position}: {line}");
        }

        position++;
    }

    private static double ParseValue(string text, string line) => text switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : throw new FormatException($"not a value '{text}': {line}"),
    };
}
