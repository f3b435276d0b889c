using System.Text.Json;

namespace Broker.Client;

/// <summary>Reads an error answer as a <see cref="Problem"/>, also when it is not problem JSON (a proxy's HTML page, say).</summary>
internal static class ProblemReader
{
    public static async Task<Problem> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            using var json = JsonDocument.Parse(text);
            var root = json.RootElement;
            return new Problem(
                status,
                String(root, "code") ?? FallbackCode(status),
                String(root, "title"),
                String(root, "detail"),
                root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object
                    ? errors.Deserialize<Dictionary<string, string[]>>()
                    : null);
        }
        catch (JsonException)
        {
            return new Problem(status, FallbackCode(status), response.ReasonPhrase, text.Length > 200 ? text[..200] : text, null);
        }
    }

    private static string? String(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string FallbackCode(int status) => status switch
    {
        401 => "unauthenticated",
        403 => "forbidden",
        404 => "not-found",
        429 => "rate-limited",
        >= 500 => "unavailable",
        _ => "http-" + status,
    };
}
