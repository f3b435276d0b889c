using System.Globalization;
using System.Security.Claims;
using Broker.Contracts;
using Broker.Grains;
using Broker.Grains.Federation;
using Broker.Grains.Ledger;
using Broker.Grains.Storage;
using Broker.Ledger;
using Broker.Silo.Auth;
using Broker.Silo.OpenApi;
using Microsoft.AspNetCore.Http.HttpResults;
using Orleans.Serialization;

namespace Broker.Silo.Api;

/// <summary>
/// Statements for providers, bills for tenants and the settlement between providers, per billing period (a calendar
/// month, UTC): what ended, from the ledger, and what still runs, accrued up to the broker's clock. Each answers JSON,
/// or with <c>Accept: text/csv</c> one FOCUS row per charge (<see cref="FocusCsv"/>).
/// </summary>
public static class BillingApi
{
    private const string PeriodRule = "must be a month written yyyy-MM, such as 2026-11";

    public static IEndpointRouteBuilder MapBillingApi(this IEndpointRouteBuilder app)
    {
        var billing = app.MapGroup("/v1/billing").WithTags("Billing").RequireAuthorization();
        billing.MapGet("/providers/{id}", GetProviderStatementAsync).WithName("GetProviderStatement").WithSummary("What a provider charged and was charged, per counterparty")
            .AnswersCsv().AnswersInvalid("period").AnswersForbidden("an admin of this provider or the federation admin").AnswersNotFound("provider with this id").AnswersUnavailable();
        billing.MapGet("/tenants/{id}", GetTenantBillAsync).WithName("GetTenantBill").WithSummary("A tenant's bill, per request")
            .AnswersCsv().AnswersInvalid("period").AnswersForbidden("this tenant, an admin of its home provider or the federation admin").AnswersNotFound("tenant with this id").AnswersUnavailable();
        billing.MapGet("/settlement", GetSettlementAsync).WithName("GetSettlement").WithSummary("What providers charged each other, netted, and the fewest transfers that settle it (federation admin)")
            .RequireAuthorization(Callers.FederationAdminPolicy)
            .AnswersCsv().AnswersInvalid("period").AnswersUnavailable();
        return app;
    }

    public static async Task<Results<Ok<ProviderStatement>, ContentHttpResult, ProblemHttpResult>> GetProviderStatementAsync(
        string id, string? period, HttpRequest request, ClaimsPrincipal user, FederationRegistry federation, IRowStore rows, Serializer serializer, [FromKeyedServices(BrokerTime.Key)] TimeProvider time)
    {
        if (!TryPeriod(period, time, out var month))
        {
            return Problems.Invalid("period", PeriodRule);
        }

        var view = federation.Current;
        if (!view.Providers.ContainsKey(id))
        {
            return Problems.NotFound($"there is no provider '{id}'");
        }

        if (!user.Caller().MayRead(id))
        {
            return Problems.Forbidden($"only the admins of '{id}' and the federation admin may read its statement");
        }

        // Costs the provider's running allocations and its ledger lines of the month (PeriodCharges.OfAsync).
        var self = Party.Provider(id);
        var charges = InBillOrder(await PeriodCharges.OfAsync(rows, serializer, self, month, time.GetUtcNow()));
        if (FocusCsv.IsWanted(request))
        {
            return Csv(month, charges, view);
        }

        var lines = charges.Select(c => c.Entry)
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
            Money.Due(net),
            charges.Select(c => new StatementCharge(
                c.Entry.RequestId, c.Entry.Tenant, PartyResource.From(c.Entry.Payer), PartyResource.From(c.Entry.Payee), c.Entry.DataCenter, ServedBy(view, c.Entry),
                c.Entry.Resource, c.Entry.Amount, c.Entry.From, c.Entry.To, c.Entry.PricePerUnitHour, Money.Shown(c.Entry.Cost), c.Running)).ToArray()));
    }

    public static async Task<Results<Ok<TenantBill>, ContentHttpResult, ProblemHttpResult>> GetTenantBillAsync(
        string id, string? period, HttpRequest request, ClaimsPrincipal user, FederationRegistry federation, IRowStore rows, Serializer serializer, [FromKeyedServices(BrokerTime.Key)] TimeProvider time)
    {
        if (!TryPeriod(period, time, out var month))
        {
            return Problems.Invalid("period", PeriodRule);
        }

        var view = federation.Current;
        if (!view.Tenants.TryGetValue(id, out var tenant))
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

        // Costs the tenant's running allocations and its ledger lines of the month (PeriodCharges.OfAsync).
        var self = Party.Tenant(id);
        var charges = InBillOrder((await PeriodCharges.OfAsync(rows, serializer, self, month, time.GetUtcNow())).Where(c => c.Entry.Payer == self));
        if (FocusCsv.IsWanted(request))
        {
            return Csv(month, charges, view);
        }

        var requests = charges
            .GroupBy(c => c.Entry.RequestId, StringComparer.Ordinal)
            .Select(g => new BillRequestLine(
                g.Key,
                g.Select(c => new BillEntry(c.Entry.DataCenter, ServedBy(view, c.Entry), c.Entry.Resource, c.Entry.Amount, c.Entry.From, c.Entry.To, c.Entry.PricePerUnitHour, Money.Shown(c.Entry.Cost), c.Running)).ToArray(),
                Money.Shown(g.Sum(c => c.Entry.Cost))))
            .ToArray();
        var total = Money.Shown(charges.Sum(c => c.Entry.Cost));
        return TypedResults.Ok(new TenantBill(id, month, Money.Currency, requests, total, Money.Due(total)));
    }

    public static async Task<Results<Ok<Settlement>, ContentHttpResult, ProblemHttpResult>> GetSettlementAsync(
        string? period, HttpRequest request, FederationRegistry federation, IRowStore rows, Serializer serializer, [FromKeyedServices(BrokerTime.Key)] TimeProvider time)
    {
        if (!TryPeriod(period, time, out var month))
        {
            return Problems.Invalid("period", PeriodRule);
        }

        // Costs the month's ledger lines between providers and the allocations running away from their tenant's home:
        // exactly what the settlement adds up, never the tenants' own lines (PeriodCharges.BetweenProvidersAsync).
        var charges = InBillOrder(await PeriodCharges.BetweenProvidersAsync(rows, serializer, month, time.GetUtcNow()));
        if (FocusCsv.IsWanted(request))
        {
            return Csv(month, charges, federation.Current);
        }

        var settled = SettlementNetting.Settle(charges.Select(c => new ProviderCharge(c.Entry.Payer.Id, c.Entry.Payee.Id, c.Entry.Cost)));
        return TypedResults.Ok(new Settlement(month, Money.Currency, settled.Pairs, settled.Positions, settled.Transfers, settled.Minimal));
    }

    /// <summary>One order for the JSON and the CSV answer alike: by request, then by time, then by the charge's id.</summary>
    private static Charge[] InBillOrder(IEnumerable<Charge> charges) =>
        charges.OrderBy(c => c.Entry.RequestId, StringComparer.Ordinal).ThenBy(c => c.Entry.From).ThenBy(c => c.Entry.Id, StringComparer.Ordinal).ToArray();

    private static ContentHttpResult Csv(string month, IEnumerable<Charge> charges, FederationView view) =>
        TypedResults.Text(FocusCsv.Of(month, charges, view), FocusCsv.ContentType);

    private static string ServedBy(FederationView view, LedgerEntry entry) => view.DataCenterOwners.GetValueOrDefault(entry.DataCenter, "");

    private static bool TryPeriod(string? period, TimeProvider time, out string month)
    {
        month = period ?? LedgerKeys.PeriodOf(time.GetUtcNow());
        return DateTime.TryParseExact(month, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed)
            && parsed.Year is >= 2000 and <= 2999;
    }
}
