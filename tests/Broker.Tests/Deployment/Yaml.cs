using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace Broker.Tests.Deployment;

/// <summary>
/// YAML read into plain maps, lists and strings (anchors and merge keys resolved, as compose resolves them), and a
/// path into them: <c>service.Text("healthcheck", "test")</c>. A missing step gives null, so an assertion says what is absent.
/// </summary>
internal static class Yaml
{
    private static readonly IDeserializer Deserializer = new DeserializerBuilder().Build();

    /// <summary>Every document of a stream (kubectl kustomize prints one per resource).</summary>
    public static IReadOnlyList<object> LoadAll(string text)
    {
        var parser = new MergingParser(new Parser(new StringReader(text)));
        parser.Consume<StreamStart>();
        var documents = new List<object>();
        while (parser.Accept<DocumentStart>(out _))
        {
            if (Deserializer.Deserialize<object>(parser) is { } document)
            {
                documents.Add(document);
            }
        }

        return documents;
    }

    public static object Load(string text) => LoadAll(text).Single();

    public static object? At(this object? node, params string[] path)
    {
        foreach (var step in path)
        {
            node = node is IDictionary<object, object> map && map.TryGetValue(step, out var next) ? next : null;
        }

        return node;
    }

    public static string? Text(this object? node, params string[] path) => node.At(path) as string;

    public static IList<object> Items(this object? node, params string[] path) => node.At(path) as IList<object> ?? [];

    public static IReadOnlyList<string> Keys(this object? node, params string[] path) =>
        node.At(path) is IDictionary<object, object> map ? map.Keys.Select(k => (string)k).ToList() : [];
}
