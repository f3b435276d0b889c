using System.Text.Json;
using System.Text.Json.Serialization;
using Broker.Contracts;

namespace Broker.Silo.Json;

/// <summary>
/// The silo's JSON, for the API and the federation file: the API's spelling (<see cref="ApiJson"/>: camelCase, enums
/// in kebab-case), and unknown fields rejected rather than silently dropped.
/// </summary>
public static class BrokerJson
{
    /// <summary>
    /// For reading bodies and the federation file. A <c>null</c> where the contract has none (an id, a list) is
    /// refused here, naming the field, instead of reaching the federation merge as a missing key.
    /// </summary>
    public static JsonSerializerOptions Options { get; } = new(Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web))) { RespectNullableAnnotations = true };

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.UseApiSpelling();
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.AllowTrailingCommas = false;
        options.ReadCommentHandling = JsonCommentHandling.Skip;
        return options;
    }
}
