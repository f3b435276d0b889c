using System.Text.Json;
using System.Text.Json.Serialization;
using Broker.Contracts;

namespace Broker.Client;

/// <summary>
/// The broker's JSON as a client speaks it: the API's spelling (<see cref="ApiJson"/>: camelCase, enums in kebab-case),
/// unset optional fields left out. Unknown fields in answers are ignored, so newer brokers stay readable.
/// </summary>
public static class BrokerJsonOptions
{
    public static JsonSerializerOptions Default { get; } =
        new JsonSerializerOptions(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull }.UseApiSpelling();
}
