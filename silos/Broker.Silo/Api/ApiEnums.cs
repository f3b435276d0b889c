using System.Text.Json;
using Broker.Domain;

namespace Broker.Silo.Api;

/// <summary>Enum values as the API spells them, for query strings and messages.</summary>
public static class ApiEnums
{
    public static string Kebab<T>(T value) where T : struct, Enum => JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());

    public static bool TryParseState(string text, out RequestState state) => TryParse(text, out state);

    /// <summary>A value of <typeparamref name="T"/> as the API spells it, its default (<c>None</c>) excluded.</summary>
    public static bool TryParse<T>(string text, out T value) where T : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<T>().Where(v => !EqualityComparer<T>.Default.Equals(v, default)))
        {
            if (Kebab(candidate) == text)
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>The values a query may name, as the API spells them, its default excluded.</summary>
    public static string Listed<T>() where T : struct, Enum =>
        string.Join(", ", Enum.GetValues<T>().Where(v => !EqualityComparer<T>.Default.Equals(v, default)).Select(v => Kebab(v)));
}
