using Microsoft.AspNetCore.Http.HttpResults;

namespace Broker.Silo.Api;

/// <summary>
/// RFC 9457 problem details with the broker's stable error codes. Every error the API answers goes
/// through here, so a client can always switch on <c>code</c>.
/// </summary>
public static class Problems
{
    public static ProblemHttpResult Create(int status, string code, string title, string detail, IDictionary<string, object?>? extensions = null)
    {
        var all = new Dictionary<string, object?>(StringComparer.Ordinal) { ["code"] = code };
        foreach (var (key, value) in extensions ?? new Dictionary<string, object?>())
        {
            all[key] = value;
        }

        return TypedResults.Problem(detail, type: TypeOf(code), title: title, statusCode: status, extensions: all);
    }

    public static string TypeOf(string code) => $"/problems/{code}";

    public static ProblemHttpResult Invalid(IDictionary<string, string[]> errors) =>
        Create(StatusCodes.Status400BadRequest, "invalid-request", "The request is invalid", "see 'errors' for the fields at fault", new Dictionary<string, object?> { ["errors"] = errors });

    public static ProblemHttpResult Invalid(string field, string message) =>
        Invalid(new Dictionary<string, string[]> { [field] = [message] });

    public static ProblemHttpResult Unauthenticated(string detail) =>
        Create(StatusCodes.Status401Unauthorized, "unauthenticated", "Authentication required", detail);

    public static ProblemHttpResult Forbidden(string detail) =>
        Create(StatusCodes.Status403Forbidden, "forbidden", "Forbidden", detail);

    public static ProblemHttpResult NotFound(string detail) =>
        Create(StatusCodes.Status404NotFound, "not-found", "Not found", detail);

    public static ProblemHttpResult Conflict(string code, string detail) =>
        Create(StatusCodes.Status409Conflict, code, "Conflict", detail);

    /// <summary>429 with the limit that was hit named by <paramref name="code"/>; the caller sets <c>Retry-After</c>.</summary>
    public static ProblemHttpResult TooManyRequests(string code, string detail) =>
        Create(StatusCodes.Status429TooManyRequests, code, "Too many requests", detail);

    public static ProblemHttpResult Unavailable(string detail) =>
        Create(StatusCodes.Status503ServiceUnavailable, "unavailable", "The broker is unavailable", detail);
}
