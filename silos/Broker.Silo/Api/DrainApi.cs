using Broker.Contracts;
using System.Security.Claims;
using Broker.DataCenters;
using Broker.Grains.Federation;
using Broker.Silo.Auth;
using Broker.Silo.OpenApi;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Broker.Silo.Api;

/// <summary>A data center's drain (maintenance): start it, watch it, end it. The owning provider's admins and the federation admin.</summary>
public static class DrainApi
{
    public const int MaxReasonLength = 200;

    public static IEndpointRouteBuilder MapDrainApi(this IEndpointRouteBuilder app)
    {
        var drain = app.MapGroup("/v1/datacenters/{dc}/drain").WithTags("Drain").RequireAuthorization();
        drain.MapPost("/", StartAsync).WithName("StartDrain").WithSummary("Drain a data center: it takes nothing new, its allocations move elsewhere make-before-break")
            .Accepts<DrainBody>("application/json")
            .Produces<DrainResource>(StatusCodes.Status202Accepted)
            .AnswersInvalid("reason")
            .AnswersForbidden("an admin of the provider that owns the data center or the federation admin")
            .AnswersNotFound("data center with this id")
            .AnswersUnavailable();
        drain.MapGet("/", GetAsync).WithName("GetDrain").WithSummary("The data center's drain: moved, remaining and stuck allocations")
            .AnswersForbidden("an admin of the provider that owns the data center or the federation admin")
            .AnswersNotFound("data center with this id")
            .AnswersUnavailable();
        drain.MapDelete("/", StopAsync).WithName("StopDrain").WithSummary("End the drain: the data center takes allocations again")
            .AnswersForbidden("an admin of the provider that owns the data center or the federation admin")
            .AnswersNotFound("data center with this id")
            .AnswersUnavailable();
        return app;
    }

    public static async Task<Results<Accepted<DrainResource>, Ok<DrainResource>, ProblemHttpResult>> StartAsync(
        string dc, HttpRequest http, ClaimsPrincipal user, FederationRegistry federation, IGrainFactory grains, CancellationToken cancellationToken)
    {
        if (Refused(dc, user, federation) is { } refused)
        {
            return refused;
        }

        var (body, problem) = await JsonBody.ReadAsync<DrainBody>(http, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (body!.Reason is { } reason && (reason.Length is 0 or > MaxReasonLength || reason.Any(char.IsControl)))
        {
            return Problems.Invalid("reason", $"must be 1 to {MaxReasonLength} characters without control characters");
        }

        var started = await grains.Reference<IDataCenterDrainGrain>(dc).StartAsync(body.Reason, user.Actor());
        var resource = DrainResource.From(started.Status);
        return started.Started ? TypedResults.Accepted(LocationOf(dc), resource) : TypedResults.Ok(resource);
    }

    public static async Task<Results<Ok<DrainResource>, ProblemHttpResult>> GetAsync(string dc, ClaimsPrincipal user, FederationRegistry federation, IGrainFactory grains) =>
        Refused(dc, user, federation) is { } refused
            ? refused
            : TypedResults.Ok(DrainResource.From(await grains.Reference<IDataCenterDrainGrain>(dc).GetAsync()));

    public static async Task<Results<Ok<DrainResource>, ProblemHttpResult>> StopAsync(string dc, ClaimsPrincipal user, FederationRegistry federation, IGrainFactory grains) =>
        Refused(dc, user, federation) is { } refused
            ? refused
            : TypedResults.Ok(DrainResource.From(await grains.Reference<IDataCenterDrainGrain>(dc).StopAsync(user.Actor())));

    public static string LocationOf(string dc) => $"/v1/datacenters/{dc}/drain";

    /// <summary>404 for a data center the federation does not know, 403 for anyone but its owner's admins and the federation admin.</summary>
    private static ProblemHttpResult? Refused(string dc, ClaimsPrincipal user, FederationRegistry federation)
    {
        if (!federation.Current.DataCenterOwners.TryGetValue(dc, out var owner))
        {
            return Problems.NotFound($"there is no data center '{dc}'");
        }

        return user.Caller().MayRead(owner) ? null : Problems.Forbidden($"only the admins of '{owner}' and the federation admin may drain '{dc}'");
    }
}
