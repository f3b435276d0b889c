using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Broker.Silo.Portal;

/// <summary>
/// What an API handler answered, read back by a portal page: the value it would have sent as JSON, or its problem.
/// The pages call the API's own handlers, so authorization and validation are the API's, not a copy of them.
/// </summary>
public static class ApiAnswer
{
    public static bool TryValue<T>(IResult answer, out T value, out PortalProblem? problem)
    {
        switch (answer)
        {
            case IValueHttpResult<T> { Value: { } v }:
                (value, problem) = (v, null);
                return true;
            case ProblemHttpResult refused:
                (value, problem) = (default!, PortalProblem.From(refused.ProblemDetails));
                return false;
            default:
                throw new InvalidOperationException($"the API answered {answer.GetType().Name}, which the portal does not read");
        }
    }
}

/// <summary>A problem the API answered, as a page shows it: its status, code, detail and the fields at fault.</summary>
public sealed record PortalProblem(int Status, string Code, string Detail, IReadOnlyDictionary<string, string[]> Errors)
{
    public static PortalProblem From(ProblemDetails details) => new(
        details.Status ?? StatusCodes.Status500InternalServerError,
        details.Extensions.TryGetValue("code", out var code) ? code as string ?? "" : "",
        details.Detail ?? "",
        details.Extensions.TryGetValue("errors", out var errors) && errors is IDictionary<string, string[]> fields
            ? new Dictionary<string, string[]>(fields, StringComparer.Ordinal)
            : new Dictionary<string, string[]>(StringComparer.Ordinal));

    /// <summary>The messages for one field of the API's request body (<c>items[0].amount</c>, <c>lease</c>, …).</summary>
    public string? ErrorFor(string field) => Errors.TryGetValue(field, out var messages) ? string.Join(" ", messages) : null;
}
