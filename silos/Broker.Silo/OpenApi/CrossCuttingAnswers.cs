using Broker.Silo.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Metadata;

namespace Broker.Silo.OpenApi;

/// <summary>
/// The problem answers an endpoint gives because of what it is rather than what it does, read from its metadata:
/// authentication (401), a policy for one kind of principal (403), a JSON body (400, 413, 415), the tenants' rate
/// limit (429), and a fault of the broker itself (500).
/// </summary>
public static class CrossCuttingAnswers
{
    public static IEnumerable<ProblemAnswer> Of(IReadOnlyList<object> metadata)
    {
        var authorization = metadata.OfType<IAuthorizeData>().ToArray();
        var authenticated = authorization.Length > 0 && !metadata.OfType<IAllowAnonymous>().Any();
        if (authenticated)
        {
            yield return new ProblemAnswer(StatusCodes.Status401Unauthorized, "unauthenticated", "no bearer token, or one the federation does not know");
        }

        var policies = authorization.Select(a => a.Policy).OfType<string>().Distinct(StringComparer.Ordinal).ToArray();
        if (policies.Length > 0)
        {
            yield return new ProblemAnswer(StatusCodes.Status403Forbidden, "forbidden", $"the caller is known but is not the {string.Join(" and ", policies)} this endpoint is for");
        }

        if (metadata.OfType<IAcceptsMetadata>().Any())
        {
            yield return new ProblemAnswer(StatusCodes.Status400BadRequest, "invalid-request", "the body is not valid JSON of this shape, or a field is out of range; 'errors' names each field at fault");
            yield return new ProblemAnswer(StatusCodes.Status413PayloadTooLarge, "payload-too-large", "the body is larger than 1 MiB");
            yield return new ProblemAnswer(StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type", "the body is not sent as application/json");
        }

        // The rate limit counts tenants' calls that passed authorization (TenantRateLimits): where a tenant may call.
        if (authenticated && policies.All(p => p == Callers.TenantPolicy))
        {
            yield return new ProblemAnswer(StatusCodes.Status429TooManyRequests, "rate-limited", "this tenant's rate limit is reached; retry after Retry-After seconds");
        }

        yield return new ProblemAnswer(StatusCodes.Status500InternalServerError, "internal-error", "the broker failed (never for a client's mistake); the failure was logged");
    }
}
