using Broker.Contracts;
using Broker.Grains;
using Broker.Grains.Federation;
using Broker.Grains.Storage;
using Broker.Silo.Api;
using Orleans.Serialization;

namespace Broker.Silo.Portal.Pages;

/// <summary>
/// The settlement of a month as <c>GET /v1/billing/settlement</c> answers it to the federation admin: what each pair of
/// providers charged each other, every provider's net position, and the transfers that settle them. The page shows the
/// API's answer and computes nothing of its own.
/// </summary>
[PortalAuthorize(Auth.Callers.FederationAdminPolicy)]
public sealed class SettlementModel(FederationRegistry federation, IRowStore rows, Serializer serializer, [FromKeyedServices(BrokerTime.Key)] TimeProvider time)
    : LedgerPage(federation, rows, serializer, time)
{
    public Settlement? Settlement { get; private set; }

    public async Task OnGetAsync()
    {
        if (Read((await BillingApi.GetSettlementAsync(AskedPeriod, Request, Federation, Rows, Serializer, Time)).Result, out Settlement settlement))
        {
            Settlement = settlement;
            Period = settlement.Period;
        }
    }
}
