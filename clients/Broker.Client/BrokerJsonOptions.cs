using System.Text.Json;
using System.Text.Json.Serialization;

namespace Broker.Client;

/// <summary>
/// The broker's JSON dialect as a client speaks it: camelCase, enums in kebab-case (<c>very-high</c>),
/// unset optional fields left out. Unknown fields in answers are ignored, so newer brokers stay readable.
/// </summary>
public static class BrokerJsonOptions
{
    public static JsonSerializerOptions Default { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false) },
    };
}
