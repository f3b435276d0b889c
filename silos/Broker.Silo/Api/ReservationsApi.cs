using System.Security.Claims;
using Broker.Contracts;
using Broker.Grains;
using Broker.Grains.Directory;
using Broker.Grains.Federation;
using Broker.Grains.Reservations;
using Broker.Grains.Storage;
using Broker.Grains.Tenants;
using Broker.Reservations;
using Broker.Silo.Auth;
using Broker.Silo.OpenApi;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Orleans.Serialization;

namespace Broker.Silo.Api;

/// <summary>A tenant's reservations: capacity booked for a future window, decided at once. A tenant sees only its own (404 otherwise).</summary>
public static class ReservationsApi
{
    public static IEndpointRouteBuilder MapReservationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/reservations").WithTags("Reservations").RequireAuthorization(Callers.TenantPolicy);
        api.MapPost("/", CreateAsync).WithName("CreateReservation").WithSummary("Book capacity for a future window")
            .Accepts<CreateReservationBody>("application/json")
            .Produces<ReservationResource>(StatusCodes.Status201Created)
            .AnswersInvalid("the body or the Idempotency-Key header")
            .Answers(StatusCodes.Status409Conflict, "idempotency-key-reused", "the Idempotency-Key was used before with a different body")
            .AnswersUnavailable();
        api.MapGet("/", ListAsync).WithName("ListReservations").WithSummary("The tenant's own reservations, newest first")
            .AnswersInvalid("state, limit or after").AnswersUnavailable();
        api.MapGet("/{id}", GetAsync).WithName("GetReservation").WithSummary("One reservation")
            .AnswersNotFound("reservation with this id").AnswersUnavailable();
        api.MapDelete("/{id}", CancelAsync).WithName("CancelReservation").WithSummary("Cancel before start; end it once active")
            .AnswersNotFound("reservation with this id").AnswersUnavailable();
        return app;
    }

    public static async Task<Results<Created<ReservationResource>, Ok<ReservationResource>, ProblemHttpResult>> CreateAsync(
        HttpRequest http,
        ClaimsPrincipal user,
        IGrainFactory grains,
        FederationRegistry federation,
        CapacityDirectory directory,
        [FromKeyedServices(BrokerTime.Key)] TimeProvider time,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        CancellationToken cancellationToken)
    {
        var caller = user.Caller();
        var (body, problem) = await JsonBody.ReadCreateAsync<CreateReservationBody>(http, idempotencyKey, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var (asked, errors) = RequestValidation.ToReservation(body!, resource => RequestsApi.IsKnownResource(resource, federation, directory), time.GetUtcNow());
        if (asked is null)
        {
            return Problems.Invalid(errors);
        }

        var id = idempotencyKey is null ? RequestIds.NewReservation() : RequestIds.ReservationFromIdempotencyKey(caller.TenantId!, idempotencyKey);
        var outcome = await grains.Reference<IReservationGrain>(id).CreateAsync(new ReserveCommand(caller.TenantId!, caller.ProviderId!, asked.Spec, asked.Start, asked.End, user.Actor()));
        return outcome.Kind switch
        {
            ReservationOutcomeKind.Conflict => Problems.Conflict("idempotency-key-reused", "this Idempotency-Key was used before with a different reservation body"),
            ReservationOutcomeKind.Existing => TypedResults.Ok(ReservationResource.From(outcome.Reservation!)),
            _ => TypedResults.Created($"/v1/reservations/{id}", ReservationResource.From(outcome.Reservation!)),
        };
    }

    public static async Task<Results<Ok<ReservationListResource>, ProblemHttpResult>> ListAsync(
        ClaimsPrincipal user, IGrainFactory grains, IRowStore rows, Serializer serializer, string? state, string? limit, string? after)
    {
        var (query, errors) = ListQuery<Broker.Reservations.ReservationState>.Parse(state, limit, after);
        if (query is null)
        {
            return Problems.Invalid(errors);
        }

        var page = await TenantRequestIndex.ListAsync(rows, serializer, ReservationRows.IndexTable, user.Caller().TenantId!, query.State?.ToString(), query.Limit, query.After);
        var snapshots = await Task.WhenAll(page.Ids.Select(id => grains.Reference<IReservationGrain>(id).GetAsync()));
        var items = snapshots.OfType<ReservationSnapshot>().Select(ReservationResource.From).ToArray();
        return TypedResults.Ok(new ReservationListResource(items, page.Next));
    }

    public static async Task<Results<Ok<ReservationResource>, ProblemHttpResult>> GetAsync(string id, ClaimsPrincipal user, IGrainFactory grains) =>
        await OwnAsync(id, user, grains) is { } reservation ? TypedResults.Ok(ReservationResource.From(reservation)) : NotFound(id);

    public static async Task<Results<Ok<ReservationResource>, ProblemHttpResult>> CancelAsync(string id, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (await OwnAsync(id, user, grains) is null)
        {
            return NotFound(id);
        }

        var cancelled = await grains.Reference<IReservationGrain>(id).CancelAsync(user.Actor());
        return TypedResults.Ok(ReservationResource.From(cancelled!));
    }

    /// <summary>The reservation if it exists and belongs to the caller; another tenant's looks like none at all.</summary>
    private static async Task<ReservationSnapshot?> OwnAsync(string id, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (!RequestIds.IsWellFormedReservation(id))
        {
            return null;
        }

        var snapshot = await grains.Reference<IReservationGrain>(id).GetAsync();
        return snapshot is not null && snapshot.Tenant == user.Caller().TenantId ? snapshot : null;
    }

    private static ProblemHttpResult NotFound(string id) => Problems.NotFound($"there is no reservation '{id}'");
}
