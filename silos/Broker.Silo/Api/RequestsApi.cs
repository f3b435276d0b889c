using System.Security.Claims;
using Broker.Contracts;
using Broker.Grains.Directory;
using Broker.Grains.Federation;
using Broker.Grains.Storage;
using Broker.Grains.Tenants;
using Orleans.Serialization;
using Broker.Requests;
using Broker.Silo.Auth;
using Broker.Silo.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using RequestState = Broker.Domain.RequestState;

using Broker.Silo.OpenApi;

namespace Broker.Silo.Api;

/// <summary>A tenant's requests: create, read, list, release, renew. A tenant sees only its own (404 otherwise).</summary>
public static class RequestsApi
{
    public static IEndpointRouteBuilder MapRequestsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/requests").WithTags("Requests").RequireAuthorization(Callers.TenantPolicy);
        api.MapPost("/", CreateAsync).WithName("CreateRequest").WithSummary("Ask for capacity")
            .Accepts<CreateRequestBody>("application/json")
            .Produces<RequestResource>(StatusCodes.Status201Created)
            .Produces<RequestResource>(StatusCodes.Status202Accepted)
            .AnswersInvalid("the body or the Idempotency-Key header")
            .Answers(StatusCodes.Status409Conflict, "idempotency-key-reused", "the Idempotency-Key was used before with a different body")
            .Answers(StatusCodes.Status429TooManyRequests, "too-many-negotiations", "this tenant has as many requests negotiating on this silo as it may")
            .AnswersUnavailable();
        api.MapGet("/", ListAsync).WithName("ListRequests").WithSummary("The tenant's own requests, newest first")
            .AnswersInvalid("state, limit or after").AnswersUnavailable();
        api.MapGet("/{id}", GetAsync).WithName("GetRequest").WithSummary("One request")
            .AnswersNotFound("request with this id").AnswersUnavailable();
        api.MapDelete("/{id}", ReleaseAsync).WithName("ReleaseRequest").WithSummary("Release the allocation")
            .AnswersNotFound("request with this id").AnswersUnavailable();
        api.MapPost("/{id}/renew", RenewAsync).WithName("RenewRequest").WithSummary("Extend the lease from now")
            .Accepts<RenewBody>("application/json")
            .AnswersNotFound("request with this id")
            .Answers(StatusCodes.Status409Conflict, "not-renewable", "the request is not allocated (any more)")
            .Answers(StatusCodes.Status409Conflict, "capacity-reserved", "the longer lease would overlap a window whose capacity is reserved ahead")
            .AnswersUnavailable();
        return app;
    }

    public static async Task<Results<Created<RequestResource>, Accepted<RequestResource>, Ok<RequestResource>, ProblemHttpResult>> CreateAsync(
        HttpRequest http,
        ClaimsPrincipal user,
        IGrainFactory grains,
        FederationRegistry federation,
        CapacityDirectory directory,
        IOptions<BrokerOptions> options,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadCreateAsync<CreateRequestBody>(http, idempotencyKey, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var respondAsync = http.Headers["Prefer"].Any(p => p?.Contains("respond-async", StringComparison.OrdinalIgnoreCase) == true);
        return await SubmitAsync(body!, idempotencyKey, respondAsync, http.HttpContext, user, grains, federation, directory, options);
    }

    /// <summary>
    /// Validates a request body and submits it: the whole of <c>POST /v1/requests</c> once the body is read, so that the
    /// portal's order form goes through exactly the API's validation and decision.
    /// </summary>
    public static async Task<Results<Created<RequestResource>, Accepted<RequestResource>, Ok<RequestResource>, ProblemHttpResult>> SubmitAsync(
        CreateRequestBody body,
        string? idempotencyKey,
        bool respondAsync,
        HttpContext http,
        ClaimsPrincipal user,
        IGrainFactory grains,
        FederationRegistry federation,
        CapacityDirectory directory,
        IOptions<BrokerOptions> options)
    {
        var caller = user.Caller();
        // Checked again here for the portal's form, whose key comes with the form rather than as a header.
        if (JsonBody.InvalidIdempotencyKey(idempotencyKey) is { } badKey)
        {
            return badKey;
        }

        var (spec, errors) = RequestValidation.ToSpec(body, resource => IsKnownResource(resource, federation, directory));
        if (spec is null)
        {
            return Problems.Invalid(errors);
        }

        var id = idempotencyKey is null ? RequestIds.New() : RequestIds.FromIdempotencyKey(caller.TenantId!, idempotencyKey);
        var grain = grains.Reference<IRequestGrain>(id);
        var budget = respondAsync ? TimeSpan.Zero : options.Value.DecisionWaitBudget;
        var outcome = await grain.SubmitAsync(new SubmitCommand(caller.TenantId!, caller.ProviderId!, spec, user.Actor()), budget);
        var location = $"/v1/requests/{id}";
        switch (outcome.Kind)
        {
            case SubmitKind.Conflict:
                return Problems.Conflict("idempotency-key-reused", "this Idempotency-Key was used before with a different request body");
            case SubmitKind.Existing:
                return TypedResults.Ok(RequestResource.From(outcome.Request!));
            case SubmitKind.Throttled:
                http.Response.Headers.RetryAfter = "1";
                return Problems.TooManyRequests("too-many-negotiations", "this tenant has as many requests negotiating as it may; retry when some are decided");
        }

        var snapshot = outcome.Request!;
        var resource = RequestResource.From(snapshot);
        return snapshot.State == RequestState.Negotiating
            ? TypedResults.Accepted(location, resource)
            : TypedResults.Created(location, resource);
    }

    public static async Task<Results<Ok<RequestListResource>, ProblemHttpResult>> ListAsync(
        ClaimsPrincipal user,
        IGrainFactory grains,
        IRowStore rows,
        Serializer serializer,
        string? state,
        string? limit,
        string? after)
    {
        var (query, errors) = ListQuery<Broker.Domain.RequestState>.Parse(state, limit, after);
        if (query is null)
        {
            return Problems.Invalid(errors);
        }

        var page = await TenantRequestIndex.ListAsync(rows, serializer, user.Caller().TenantId!, query.State, query.Limit, query.After);
        var snapshots = await Task.WhenAll(page.Ids.Select(id => grains.Reference<IRequestGrain>(id).GetAsync()));
        var items = snapshots.OfType<RequestSnapshot>().Select(RequestResource.From).ToArray();
        return TypedResults.Ok(new RequestListResource(items, page.Next));
    }

    public static async Task<Results<Ok<RequestResource>, ProblemHttpResult>> GetAsync(string id, ClaimsPrincipal user, IGrainFactory grains)
    {
        var snapshot = await OwnAsync(id, user, grains);
        return snapshot is null ? NotFound(id) : TypedResults.Ok(RequestResource.From(snapshot));
    }

    public static async Task<Results<Ok<RequestResource>, ProblemHttpResult>> ReleaseAsync(string id, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (await OwnAsync(id, user, grains) is null)
        {
            return NotFound(id);
        }

        var released = await grains.Reference<IRequestGrain>(id).ReleaseAsync(user.Actor());
        return TypedResults.Ok(RequestResource.From(released!));
    }

    public static async Task<Results<Ok<RequestResource>, ProblemHttpResult>> RenewAsync(
        string id, HttpRequest http, ClaimsPrincipal user, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<RenewBody>(http, cancellationToken);
        return problem ?? await RenewLeaseAsync(id, body!, user, grains);
    }

    /// <summary><c>POST /v1/requests/{id}/renew</c> once the body is read (the portal's Renew button comes here too).</summary>
    public static async Task<Results<Ok<RequestResource>, ProblemHttpResult>> RenewLeaseAsync(string id, RenewBody body, ClaimsPrincipal user, IGrainFactory grains)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var lease = RequestValidation.ValidateLease(body.Lease, "lease", errors);
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        if (await OwnAsync(id, user, grains) is null)
        {
            return NotFound(id);
        }

        var outcome = await grains.Reference<IRequestGrain>(id).RenewAsync(lease, user.Actor());
        return outcome.Kind switch
        {
            RenewKind.Renewed => TypedResults.Ok(RequestResource.From(outcome.Request!)),
            RenewKind.NotAllocated => Problems.Conflict("not-renewable", $"the request is {ApiEnums.Kebab(outcome.Request!.State)}; only an allocated request can be renewed"),
            RenewKind.CapacityReserved => Problems.Conflict("capacity-reserved", "the longer lease would take capacity reserved for a window ahead; the lease is unchanged"),
            _ => NotFound(id),
        };
    }

    /// <summary>The request if it exists and belongs to the caller; another tenant's request looks like none at all.</summary>
    private static async Task<RequestSnapshot?> OwnAsync(string id, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (!RequestIds.IsWellFormed(id))
        {
            return null;
        }

        var snapshot = await grains.Reference<IRequestGrain>(id).GetAsync();
        return snapshot is not null && snapshot.Tenant == user.Caller().TenantId ? snapshot : null;
    }

    private static ProblemHttpResult NotFound(string id) => Problems.NotFound($"there is no request '{id}'");

    internal static bool IsKnownResource(string resource, FederationRegistry federation, CapacityDirectory directory) =>
        federation.Current.ResourceClasses.Contains(resource) || directory.Offering(resource).Any();
}
