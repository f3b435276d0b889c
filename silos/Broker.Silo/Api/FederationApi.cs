using System.Security.Claims;
using Broker.Contracts;
using Broker.DataCenters;
using Broker.Domain;
using Broker.Federation;
using Broker.Grains.Directory;
using Broker.Grains.Federation;
using Broker.Silo.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Priority = Broker.Domain.Priority;
using ProviderKind = Broker.Domain.ProviderKind;

using Broker.Silo.OpenApi;

namespace Broker.Silo.Api;

/// <summary>The federation's catalogue and capacity, a provider's data centers and pools, and the admin upsert.</summary>
public static class FederationApi
{
    public static IEndpointRouteBuilder MapFederationApi(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/v1").WithTags("Federation").RequireAuthorization();
        v1.MapGet("/catalog", GetCatalog).WithName("GetCatalog").WithSummary("Who offers which resource class, where, at what price, with how much free now");
        v1.MapGet("/federation/capacity", GetCapacity).WithName("GetFederationCapacity").WithSummary("Capacity per provider, data center and pool");
        v1.MapGet("/providers/{id}/datacenters", GetProviderDataCentersAsync).WithName("GetProviderDataCenters").WithSummary("A provider's data centers (its admins, the federation admin)")
            .AnswersForbidden("an admin of this provider or the federation admin").AnswersNotFound("provider with this id").AnswersUnavailable();
        v1.MapPut("/datacenters/{dc}/pools/{resource}", SetPoolAsync).WithName("SetPool").WithSummary("Change or add a pool (the owning provider's admin)")
            .Accepts<PoolChangeBody>("application/json")
            .AnswersForbidden("an admin of the provider that owns the data center")
            .AnswersNotFound("data center with this id")
            .Answers(StatusCodes.Status409Conflict, "capacity-in-use", "the new size is below what is allocated and held now")
            .AnswersUnavailable();
        v1.MapPut("/federation", UpsertFederationAsync).WithName("UpsertFederation").WithSummary("Upsert providers, data centers and tenants by id (the federation admin)")
            .Accepts<FederationFile>("application/json")
            .RequireAuthorization(Callers.FederationAdminPolicy)
            .AnswersUnavailable();
        return app;
    }

    public static Ok<CatalogResource> GetCatalog(ClaimsPrincipal user, CapacityDirectory directory, FederationRegistry federation)
    {
        var caller = user.Caller();
        var view = federation.Current;
        var offers =
            from dc in directory.All
            from pool in dc.Pools
            let partnerUnderContract = caller.Kind != PrincipalKind.Tenant || dc.ProviderKind != ProviderKind.Partner
                || view.ContractFor(caller.ProviderId!, dc.Provider, pool.Resource) is not null
            where partnerUnderContract
            let price = caller.Kind == PrincipalKind.Tenant && dc.ProviderKind == ProviderKind.Partner
                ? view.ContractFor(caller.ProviderId!, dc.Provider, pool.Resource)!.PricePerUnitHour
                : pool.PricePerUnitHour
            select (pool.Resource, Offer: new CatalogOffer(
                dc.Provider, dc.ProviderKind.ToWire(), dc.Id, dc.Location, dc.ProtectionLevel.ToWire(), price,
                pool.FreeFor(Priority.Normal), pool.MinUnit, LargestAmount(pool.MaxUnit), pool.Step, dc.RenewableShare));
        var entries = offers
            .GroupBy(o => o.Resource, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new CatalogEntry(g.Key, g.Select(o => o.Offer).OrderBy(o => o.PricePerUnitHour).ThenBy(o => o.DataCenter, StringComparer.Ordinal).ToArray()))
            .ToArray();
        return TypedResults.Ok(new CatalogResource(entries));
    }

    public static Ok<CapacityResource> GetCapacity(CapacityDirectory directory) =>
        TypedResults.Ok(new CapacityResource(directory.All
            .GroupBy(dc => (dc.Provider, dc.ProviderKind))
            .OrderBy(g => g.Key.Provider, StringComparer.Ordinal)
            .Select(g => new ProviderCapacity(g.Key.Provider, g.Key.ProviderKind.ToWire(), g.OrderBy(dc => dc.Id, StringComparer.Ordinal).Select(DataCenterResource.From).ToArray()))
            .ToArray()));

    public static async Task<Results<Ok<DataCenterResource[]>, ProblemHttpResult>> GetProviderDataCentersAsync(
        string id, ClaimsPrincipal user, FederationRegistry federation, IGrainFactory grains)
    {
        if (!federation.Current.Providers.TryGetValue(id, out var provider))
        {
            return Problems.NotFound($"there is no provider '{id}'");
        }

        if (!user.Caller().MayRead(id))
        {
            return Problems.Forbidden($"only the admins of '{id}' and the federation admin may read its data centers");
        }

        // Bounded by one provider's data centers, and exact: read from the owners, not the directory.
        var summaries = await Task.WhenAll(provider.DataCenters.Select(dc => grains.Reference<IDataCenterGrain>(dc.Id).GetCapacityAsync()));
        return TypedResults.Ok(summaries.OfType<DataCenterSummary>().OrderBy(dc => dc.Id, StringComparer.Ordinal).Select(DataCenterResource.From).ToArray());
    }

    public static async Task<Results<Ok<PoolResource>, Created<PoolResource>, ProblemHttpResult>> SetPoolAsync(
        string dc, string resource, HttpRequest http, ClaimsPrincipal user, FederationRegistry federation, IGrainFactory grains, CancellationToken cancellationToken)
    {
        if (MayNotChangePools(dc, user, federation) is { } refused)
        {
            return refused;
        }

        var (body, problem) = await JsonBody.ReadAsync<PoolChangeBody>(http, cancellationToken);
        return problem ?? await ChangePoolAsync(dc, resource, body!, user, federation, grains);
    }

    /// <summary><c>PUT /v1/datacenters/{dc}/pools/{resource}</c> once the body is read (the portal's pool form comes here too).</summary>
    public static async Task<Results<Ok<PoolResource>, Created<PoolResource>, ProblemHttpResult>> ChangePoolAsync(
        string dc, string resource, PoolChangeBody body, ClaimsPrincipal user, FederationRegistry federation, IGrainFactory grains)
    {
        if (MayNotChangePools(dc, user, federation) is { } refused)
        {
            return refused;
        }

        var errors = PoolChangeErrors(resource, body);
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        // Through the federation, which keeps the pool's one definition; the data center guards what is in use.
        var result = await grains.GetGrain<IFederationGrain>(FederationGrainKeys.Singleton)
            .SetPoolAsync(dc, new PoolChange(resource, body.Total!.Value, body.Headroom, body.PricePerUnitHour, user.Actor()));
        return result.Kind switch
        {
            PoolChangeKind.Updated => TypedResults.Ok(PoolResource.From(result.Pool!)),
            PoolChangeKind.Created => TypedResults.Created($"/v1/datacenters/{dc}/pools/{resource}", PoolResource.From(result.Pool!)),
            PoolChangeKind.InUse => Problems.Conflict("capacity-in-use", $"{result.InUse} units of {resource} are allocated, held or reserved ahead at {dc}; the pool cannot shrink below that"),
            _ => Problems.NotFound($"there is no data center '{dc}'"),
        };
    }

    public static async Task<Results<Ok<FederationUpsertResource>, ProblemHttpResult>> UpsertFederationAsync(
        HttpRequest http, ClaimsPrincipal user, FederationUpserter upserter, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<FederationFile>(http, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var outcome = await upserter.UpsertAsync(body!.ToDocument(), user.Actor());
        return outcome.Errors.Count > 0 ? Problems.Invalid(outcome.Errors) : TypedResults.Ok(new FederationUpsertResource(outcome.Version));
    }

    /// <summary>Why the caller may not change the pools of <paramref name="dc"/> (only the owning provider's admins may), or null.</summary>
    private static ProblemHttpResult? MayNotChangePools(string dc, ClaimsPrincipal user, FederationRegistry federation)
    {
        if (!federation.Current.DataCenterOwners.TryGetValue(dc, out var owner))
        {
            return Problems.NotFound($"there is no data center '{dc}'");
        }

        var caller = user.Caller();
        return caller.Kind != PrincipalKind.ProviderAdmin || caller.ProviderId != owner
            ? Problems.Forbidden($"only the admins of '{owner}' may change its pools")
            : null;
    }

    /// <summary>
    /// The most one item may ask for at a pool: a pool without a maximum of its own stores <see cref="long.MaxValue"/>,
    /// beyond what a JSON number carries exactly to most clients (2^53), and beyond what a request may ask anyway.
    /// </summary>
    private static long LargestAmount(long maxUnit) => Math.Min(maxUnit, RequestValidation.MaxAmount);

    private static Dictionary<string, string[]> PoolChangeErrors(string resource, PoolChangeBody body)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!ResourceClasses.IsWellFormed(resource))
        {
            errors["resource"] = ["must be a resource class such as storage.ssd"];
        }

        if (body.Total is null or < 0 or > RequestValidation.MaxAmount)
        {
            errors["total"] = [$"is required: a whole number from 0 to {RequestValidation.MaxAmount}"];
        }

        if (body.Headroom is < 0 || (body.Headroom is { } headroom && body.Total is { } total && headroom > total))
        {
            errors["headroom"] = ["must be from 0 to total"];
        }

        if (body.PricePerUnitHour is < 0)
        {
            errors["pricePerUnitHour"] = ["must not be negative"];
        }

        return errors;
    }
}
