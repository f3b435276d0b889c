namespace Broker.Contracts;

/// <summary>Enum values as the API spells them, for query strings and messages.</summary>
public static class ApiEnums
{
    public static string Kebab<T>(T value) where T : struct, Enum => ApiJson.EnumNaming.ConvertName(value.ToString());

    /// <summary>The member spelled <paramref name="text"/> (<c>very-high</c>); numbers and other spellings are refused.</summary>
    public static bool TryParse<T>(string text, out T value) where T : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<T>())
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

    /// <summary>The values a query may name, as the API spells them, the default (<c>None</c>, where an enum has one) left out.</summary>
    public static string Listed<T>() where T : struct, Enum =>
        string.Join(", ", Enum.GetValues<T>().Where(v => !EqualityComparer<T>.Default.Equals(v, default) || v.ToString() != "None").Select(v => Kebab(v)));
}
