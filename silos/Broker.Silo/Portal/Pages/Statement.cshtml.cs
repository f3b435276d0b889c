using Broker.Contracts;
using Broker.Grains;
using Broker.Grains.Federation;
using Broker.Grains.Storage;
using Broker.Silo.Api;
using Microsoft.AspNetCore.Mvc;
using Orleans.Serialization;

namespace Broker.Silo.Portal.Pages;

/// <summary>A provider's statement for a month, as <c>GET /v1/billing/providers/{id}</c> answers it to the caller.</summary>
[PortalAuthorize]
public sealed class StatementModel(FederationRegistry federation, IRowStore rows, Serializer serializer, [FromKeyedServices(BrokerTime.Key)] TimeProvider time)
    : LedgerPage(federation, rows, serializer, time)
{
    [FromRoute(Name = "provider")]
    public string Provider { get; set; } = "";

    public ProviderStatement? Statement { get; private set; }

    public async Task OnGetAsync()
    {
        var period = AskedPeriod;
        if (Read((await BillingApi.GetProviderStatementAsync(Provider, period, Request, User, Federation, Rows, Serializer, Time)).Result, out ProviderStatement statement))
        {
            Statement = statement;
            Period = statement.Period;
        }
    }
}
