using Broker.Grains.Federation;
using Broker.Grains.Storage;
using Microsoft.AspNetCore.Mvc;
using Orleans.Serialization;

namespace Broker.Silo.Portal.Pages;

/// <summary>A page of the ledger for one month (a bill, a statement, the settlement): what the billing API's handlers need, and the month asked for.</summary>
public abstract class LedgerPage(FederationRegistry federation, IRowStore rows, Serializer serializer, TimeProvider time) : PortalPage
{
    protected FederationRegistry Federation => federation;
    protected IRowStore Rows => rows;
    protected Serializer Serializer => serializer;
    protected TimeProvider Time => time;

    /// <summary>The month as typed (<c>yyyy-MM</c>); after a read, the month the API answered for (the current one when none was typed).</summary>
    [FromQuery(Name = "period")]
    public string? Period { get; set; }

    protected string? AskedPeriod => string.IsNullOrWhiteSpace(Period) ? null : Period.Trim();
}
