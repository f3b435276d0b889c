using System.Text.Json;

namespace Broker.Grains.Negotiation;

/// <summary>Enum names as the API spells them (<c>VeryHigh</c> → <c>very-high</c>), for messages.</summary>
internal static class Wire
{
    public static string Kebab<T>(T value) where T : struct, Enum => JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());
}
