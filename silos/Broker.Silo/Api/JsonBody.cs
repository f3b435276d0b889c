using System.Text.Json;
using Broker.Silo.Json;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Broker.Silo.Api;

/// <summary>
/// Reads a JSON body in the broker's strict dialect and turns every way it can be wrong into a
/// ProblemDetails answer that names the place at fault, instead of the framework's bare 400.
/// </summary>
public static class JsonBody
{
    public static async Task<(T? Body, ProblemHttpResult? Problem)> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : class
    {
        if (!request.HasJsonContentType())
        {
            return (null, Problems.Create(StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type", "Unsupported media type", "send the body as application/json"));
        }

        try
        {
            var body = await JsonSerializer.DeserializeAsync<T>(request.Body, BrokerJson.Options, cancellationToken);
            return body is null ? (null, Problems.Invalid("$", "a JSON object is required")) : (body, null);
        }
        catch (JsonException error)
        {
            return (null, Problems.Invalid(string.IsNullOrEmpty(error.Path) ? "$" : error.Path, Describe(error)));
        }
    }

    /// <summary>A create's body, after its <c>Idempotency-Key</c> header (if any) was checked (<see cref="InvalidIdempotencyKey"/>).</summary>
    public static async Task<(T? Body, ProblemHttpResult? Problem)> ReadCreateAsync<T>(HttpRequest request, string? idempotencyKey, CancellationToken cancellationToken)
        where T : class =>
        InvalidIdempotencyKey(idempotencyKey) is { } problem ? (null, problem) : await ReadAsync<T>(request, cancellationToken);

    /// <summary>The problem with an idempotency key, if it has one: it must be 1 to 128 printable ASCII characters (none at all is fine).</summary>
    public static ProblemHttpResult? InvalidIdempotencyKey(string? idempotencyKey) =>
        idempotencyKey is not null && !RequestIds.IsValidIdempotencyKey(idempotencyKey)
            ? Problems.Invalid("Idempotency-Key", "must be 1 to 128 printable ASCII characters")
            : null;

    // System.Text.Json's messages name CLR types; say what the client can act on instead.
    private static string Describe(JsonException error) => error.Message switch
    {
        var m when m.Contains("could not be mapped to any .NET member", StringComparison.Ordinal) => "unknown field",
        var m when m.Contains("could not be converted", StringComparison.Ordinal) => "wrong type or value for this field",
        var m when m.Contains("doesn't allow setting null values", StringComparison.Ordinal) => "must not be null",
        var m when m.Contains("missing required properties", StringComparison.Ordinal) => "required fields are missing: " + m[(m.IndexOf(':') + 1)..].Trim(),
        _ => "malformed JSON",
    };
}
