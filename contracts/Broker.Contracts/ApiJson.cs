using System.Text.Json;
using System.Text.Json.Serialization;

namespace Broker.Contracts;

/// <summary>
/// How the API spells JSON, for the silo that writes it and the clients that read it: camelCase names, enums in kebab
/// case (<c>very-high</c>) and never as numbers. Each side adds its own manners: the silo refuses fields it does not
/// know, a client ignores them so that a newer broker stays readable.
/// </summary>
public static class ApiJson
{
    public static JsonNamingPolicy EnumNaming => JsonNamingPolicy.KebabCaseLower;

    public static JsonSerializerOptions UseApiSpelling(this JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.Converters.Add(new JsonStringEnumConverter(EnumNaming, allowIntegerValues: false));
        return options;
    }
}
