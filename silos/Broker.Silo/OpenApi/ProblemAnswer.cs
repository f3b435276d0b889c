namespace Broker.Silo.OpenApi;

/// <summary>
/// A problem answer an endpoint can give, with its stable <c>code</c>, declared beside the endpoint's mapping so
/// that the OpenAPI document lists it (<see cref="ProblemResponses"/>). Answers every endpoint of a kind can give
/// (401 without a token, 415 for a body, …) come from <see cref="CrossCuttingAnswers"/> instead.
/// </summary>
public sealed record ProblemAnswer(int Status, string Code, string When);

public static class ProblemAnswerDeclarations
{
    /// <summary>Declares that the endpoint answers <paramref name="status"/> with <paramref name="code"/> <paramref name="when"/> something happens.</summary>
    public static TBuilder Answers<TBuilder>(this TBuilder builder, int status, string code, string when)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ProblemAnswer(status, code, when));

    /// <summary>The endpoint calls the cluster (grains, storage): while that cannot answer, 503 with Retry-After.</summary>
    public static TBuilder AnswersUnavailable<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.Answers(StatusCodes.Status503ServiceUnavailable, "unavailable", "the cluster or its database could not answer in time; retry after Retry-After seconds");

    public static TBuilder AnswersNotFound<TBuilder>(this TBuilder builder, string what)
        where TBuilder : IEndpointConventionBuilder =>
        builder.Answers(StatusCodes.Status404NotFound, "not-found", $"there is no {what} (or, for a tenant, it is another tenant's)");

    public static TBuilder AnswersForbidden<TBuilder>(this TBuilder builder, string who)
        where TBuilder : IEndpointConventionBuilder =>
        builder.Answers(StatusCodes.Status403Forbidden, "forbidden", $"the caller is known but is not {who}");

    public static TBuilder AnswersInvalid<TBuilder>(this TBuilder builder, string what)
        where TBuilder : IEndpointConventionBuilder =>
        builder.Answers(StatusCodes.Status400BadRequest, "invalid-request", $"{what} is malformed or out of range; 'errors' names each field at fault");
}
