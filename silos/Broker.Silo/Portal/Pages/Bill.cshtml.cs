using Broker.Contracts;
using Broker.Grains;
using Broker.Grains.Federation;
using Broker.Grains.Storage;
using Broker.Silo.Api;
using Microsoft.AspNetCore.Mvc;
using Orleans.Serialization;

namespace Broker.Silo.Portal.Pages;

/// <summary>A tenant's bill for a month, as <c>GET /v1/billing/tenants/{id}</c> answers it to the caller (who it may be is the API's rule).</summary>
[PortalAuthorize]
public sealed class BillModel(FederationRegistry federation, IRowStore rows, Serializer serializer, [FromKeyedServices(BrokerTime.Key)] TimeProvider time)
    : LedgerPage(federation, rows, serializer, time)
{
    [FromRoute(Name = "tenant")]
    public string Tenant { get; set; } = "";

    public TenantBill? Bill { get; private set; }

    public async Task OnGetAsync()
    {
        var period = AskedPeriod;
        if (Read((await BillingApi.GetTenantBillAsync(Tenant, period, Request, User, Federation, Rows, Serializer, Time)).Result, out TenantBill bill))
        {
            Bill = bill;
            Period = bill.Period;
        }
    }
}
