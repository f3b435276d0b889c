using System.Text.Json;
using Broker.Domain;

namespace Broker.Silo.Api;

/// <summary>Enum values as the API spells them, for query strings and messages.</summary>
public static class ApiEnums
{
    public static string Kebab<T>(T value) where T : struct, Enum => JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());

    public static bool TryParseState(string text, out RequestState state)
    {
        foreach (var candidate in Enum.GetValues<RequestState>().Where(s => s != RequestState.None))
        {
            if (Kebab(candidate) == text)
            {
                state = candidate;
                return true;
            }
        }

        state = default;
        return false;
    }
}
