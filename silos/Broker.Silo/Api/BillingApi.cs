using Broker.Grains.Ledger;
using Broker.Grains.Storage;
using Orleans.Serialization;
using System.Globalization;
using System.Security.Claims;
using Broker.Contracts;
using Broker.Grains;
using Broker.Grains.Federation;
using Broker.Ledger;
using Broker.Silo.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

using Broker.Silo.OpenApi;

namespace Broker.Silo.Api;

/// <summary>Statements for providers and bills for tenants, per billing period (a calendar month, UTC).</summary>
public static class BillingApi
{
    public static IEndpointRouteBuilder MapBillingApi(this IEndpointRouteBuilder app)
    {
        var billing = app.MapGroup("/v1/billing").WithTags("Billing").RequireAuthorization();
        billing.MapGet("/providers/{id}", GetProviderStatementAsync).WithName("GetProviderStatement").WithSummary("What a provider charged and was charged, per counterparty")
            .AnswersInvalid("period").AnswersForbidden("an admin of this provider or the federation admin").AnswersNotFound("provider with this id").AnswersUnavailable();
        billing.MapGet("/tenants/{id}", GetTenantBillAsync).WithName("GetTenantBill").WithSummary("A tenant's bill, per request")
            .AnswersInvalid("period").AnswersForbidden("this tenant, an admin of its home provider or the federation admin").AnswersNotFound("tenant with this id").AnswersUnavailable();
        return app;
    }

    public static async Task<Results<Ok<ProviderStatement>, ProblemHttpResult>> GetProviderStatementAsync(
        string id, string? period, ClaimsPrincipal user, FederationRegistry federation, IRowStore rows, Serializer serializer, [FromKeyedServices(BrokerTime.Key)] TimeProvider time)
    {
        if (!TryPeriod(period, time, out var month))
        {
            return Problems.Invalid("period", "must be a month written yyyy-MM, such as 2026-11");
        }

        if (!federation.Current.Providers.ContainsKey(id))
        {
            return Problems.NotFound($"there is no provider '{id}'");
        }

        if (!user.Caller().MayRead(id))
        {
            return Problems.Forbidden($"only the admins of '{id}' and the federation admin may read its statement");
        }

        var self = Party.Provider(id);
        var entries = await LedgerRows.ReadAsync(rows, serializer, self, month);
        var lines = entries
            .GroupBy(e => e.Payee == self ? e.Payer : e.Payee)
            .Select(g => (Counterparty: g.Key, Charged: g.Where(e => e.Payee == self).Sum(e => e.Cost), ChargedBy: g.Where(e => e.Payer == self).Sum(e => e.Cost)))
            .OrderBy(l => l.Counterparty.Kind)
            .ThenBy(l => l.Counterparty.Id, StringComparer.Ordinal)
            .ToArray();
        var (charged, chargedBy) = (lines.Sum(l => l.Charged), lines.Sum(l => l.ChargedBy));
        var net = Money.Shown(charged - chargedBy);
        return TypedResults.Ok(new ProviderStatement(
            id,
            month,
            Money.Currency,
            lines.Select(l => new CounterpartyLine(PartyResource.From(l.Counterparty), Money.Shown(l.Charged), Money.Shown(l.ChargedBy), Money.Shown(l.Charged - l.ChargedBy))).ToArray(),
            Money.Shown(charged),
            Money.Shown(chargedBy),
            net,
            Money.Due(net)));
    }

    public static async Task<Results<Ok<TenantBill>, ProblemHttpResult>> GetTenantBillAsync(
        string id, string? period, ClaimsPrincipal user, FederationRegistry federation, IRowStore rows, Serializer serializer, [FromKeyedServices(BrokerTime.Key)] TimeProvider time)
    {
        if (!TryPeriod(period, time, out var month))
        {
            return Problems.Invalid("period", "must be a month written yyyy-MM, such as 2026-11");
        }

        if (!federation.Current.Tenants.TryGetValue(id, out var tenant))
        {
            return Problems.NotFound($"there is no tenant '{id}'");
        }

        var caller = user.Caller();
        var allowed = caller.Kind switch
        {
            PrincipalKind.Tenant => caller.TenantId == id,
            PrincipalKind.ProviderAdmin => caller.ProviderId == tenant.HomeProvider,
            _ => true,
        };
        if (!allowed)
        {
            return Problems.Forbidden($"only '{id}', the admins of its home provider and the federation admin may read its bill");
        }

        var self = Party.Tenant(id);
        var entries = (await LedgerRows.ReadAsync(rows, serializer, self, month)).Where(e => e.Payer == self).ToArray();
        var requests = entries
            .GroupBy(e => e.RequestId, StringComparer.Ordinal)
            .Select(g => new BillRequestLine(
                g.Key,
                g.Select(e => new BillEntry(e.DataCenter, federation.Current.DataCenterOwners.GetValueOrDefault(e.DataCenter, ""), e.Resource, e.Amount, e.From, e.To, e.PricePerUnitHour, Money.Shown(e.Cost))).ToArray(),
                Money.Shown(g.Sum(e => e.Cost))))
            .OrderBy(r => r.RequestId, StringComparer.Ordinal)
            .ToArray();
        var total = Money.Shown(entries.Sum(e => e.Cost));
        return TypedResults.Ok(new TenantBill(id, month, Money.Currency, requests, total, Money.Due(total)));
    }

    private static bool TryPeriod(string? period, TimeProvider time, out string month)
    {
        month = period ?? LedgerKeys.PeriodOf(time.GetUtcNow());
        return DateTime.TryParseExact(month, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed)
            && parsed.Year is >= 2000 and <= 2999;
    }
}
