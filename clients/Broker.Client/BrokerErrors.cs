using System.Net;

namespace Broker.Client;

/// <summary>An RFC 9457 problem as the broker answers it; <see cref="Code"/> is the stable error code.</summary>
public sealed record Problem(
    int Status,
    string Code,
    string? Title,
    string? Detail,
    IReadOnlyDictionary<string, string[]>? Errors);

/// <summary>The broker refused the call (4xx): the caller's mistake or lack of rights; retrying the same call will not help.</summary>
public sealed class BrokerProblemException(Problem problem)
    : Exception($"{problem.Status} {problem.Code}: {problem.Detail ?? problem.Title}{FieldsOf(problem)}")
{
    public Problem Problem { get; } = problem;

    public HttpStatusCode Status => (HttpStatusCode)Problem.Status;

    private static string FieldsOf(Problem problem) =>
        problem.Errors is null || problem.Errors.Count == 0
            ? ""
            : " (" + string.Join("; ", problem.Errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")) + ")";
}

/// <summary>
/// The broker could not be reached or stayed unavailable through every retry (connection errors, 5xx,
/// 429, timeouts, an open circuit). The call may be repeated later; a request repeated with the same
/// idempotency key is still allocated at most once.
/// </summary>
public sealed class BrokerUnavailableException(string message, Exception? inner = null, Problem? problem = null) : Exception(message, inner)
{
    /// <summary>The broker's last answer, when it answered at all.</summary>
    public Problem? Problem { get; } = problem;
}
