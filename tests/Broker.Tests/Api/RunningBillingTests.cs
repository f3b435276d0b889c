using System.Globalization;
using System.Text.Json;
using static Broker.Tests.Api.FocusCsvAnswers;

namespace Broker.Tests.Api;

/// <summary>
/// Bills and statements show what still runs, accrued up to the broker's clock (<c>running: true</c>, <c>to</c> = now),
/// beside what ended; every expected amount is units × hours × the price the test world set. Each answers CSV too,
/// one FOCUS row per charge, equal to its JSON.
/// </summary>
// A broker of its own: the test's allocations must not cross a month end of the broker's clock.
public sealed class RunningBillingTests() : OwnBroker()
{
    private const decimal HomePrice = 0.0001m;
    private const decimal OtherPrice = 0.0002m;

    // A display name that CSV must quote (a comma and quotes), and that is not ASCII.
    private const string OtherName = "Other, \"Quoted\" AöR";

    [Fact]
    public async Task TenantBill_RunningAllocations_AccruedToNowAtUnitsTimesHoursTimesPrice_BesideTheEndedOne()
    {
        var (world, start, atHome, away, ended) = await ThreeRequestsAsync();
        var now = Broker.Clock.GetUtcNow();

        var bill = await ReadJsonAsync(world.Tenant("t"), BillPath(world, start));

        // 1,000 GiB at home for 1.5 h, 2,000 GiB away for 1.5 h, both running; 500 GiB at home for 0.5 h, ended.
        Assert.Equal((start, now, 1_000 * HomePrice * 1.5m, true), Only(bill, atHome));
        Assert.Equal((start, now, 2_000 * OtherPrice * 1.5m, true), Only(bill, away));
        Assert.Equal((start, start.AddMinutes(30), 500 * HomePrice * 0.5m, false), Only(bill, ended));
        Assert.Equal((0.775m, 0.78m), (bill.GetProperty("total").GetDecimal(), bill.GetProperty("totalDue").GetDecimal()));

        // Accrued up to each call: an hour later, an hour more.
        Broker.Clock.Advance(TimeSpan.FromHours(1));
        var later = await ReadJsonAsync(world.Tenant("t"), BillPath(world, start));
        Assert.Equal((start, now.AddHours(1), 1_000 * HomePrice * 2.5m, true), Only(later, atHome));
        Assert.Equal(0.025m + (1_000 * HomePrice * 2.5m) + (2_000 * OtherPrice * 2.5m), later.GetProperty("total").GetDecimal());
    }

    [Fact]
    public async Task TenantBill_RunningAllocationReleased_TheLedgerLineReplacesTheAccruedOne_NeverBoth()
    {
        var (world, start, _, away, _) = await ThreeRequestsAsync();
        Broker.Clock.Advance(TimeSpan.FromMinutes(30));
        await ReleaseAsync(world, away);
        Broker.Clock.Advance(TimeSpan.FromHours(5));

        var bill = await ReadJsonAsync(world.Tenant("t"), BillPath(world, start));

        // Released after 2 h: charged for those 2 h, not running, once; nothing accrues after its end.
        Assert.Equal((start, start.AddHours(2), 2_000 * OtherPrice * 2m, false), Only(bill, away));
    }

    [Fact]
    public async Task ProviderStatements_RunningAwayFromHome_ServingProviderChargedTheHomeProvider_WhichChargedTheTenant()
    {
        var (world, start, atHome, away, ended) = await ThreeRequestsAsync();
        var now = Broker.Clock.GetUtcNow();
        var admin = Broker.Client(Broker.FederationAdminToken);

        var other = await ReadJsonAsync(admin, StatementPath(world, "other", start));
        var home = await ReadJsonAsync(world.Admin("home"), StatementPath(world, "home", start));

        // The serving side: it charged the tenant's home provider for the running allocation, accrued to now.
        const decimal awayCost = 2_000 * OtherPrice * 1.5m;
        Assert.Equal((awayCost, 0m, awayCost), (other.GetProperty("charged").GetDecimal(), other.GetProperty("chargedBy").GetDecimal(), other.GetProperty("net").GetDecimal()));
        var counterparty = Assert.Single(other.GetProperty("counterparties").EnumerateArray());
        Assert.Equal(("provider", world.Id("home"), awayCost), (counterparty.GetProperty("counterparty").GetProperty("kind").GetString(), counterparty.GetProperty("counterparty").GetProperty("id").GetString(), counterparty.GetProperty("charged").GetDecimal()));
        var charge = Assert.Single(other.GetProperty("charges").EnumerateArray());
        Assert.Equal(
            (away, world.Id("t"), world.Id("home"), world.Id("other"), start, now, awayCost, true),
            (charge.GetProperty("requestId").GetString(), charge.GetProperty("tenant").GetString(), charge.GetProperty("payer").GetProperty("id").GetString(),
             charge.GetProperty("payee").GetProperty("id").GetString(), charge.GetProperty("from").GetDateTimeOffset(), charge.GetProperty("to").GetDateTimeOffset(),
             charge.GetProperty("cost").GetDecimal(), charge.GetProperty("running").GetBoolean()));

        // The home side: it charged its tenant for all three (two running) and was charged the away one.
        Assert.Equal((0.775m, awayCost, 0.775m - awayCost, 0.18m), (home.GetProperty("charged").GetDecimal(), home.GetProperty("chargedBy").GetDecimal(), home.GetProperty("net").GetDecimal(), home.GetProperty("netDue").GetDecimal()));
        Assert.Equal(
            new[] { (atHome, "tenant", true), (away, "provider", true), (away, "tenant", true), (ended, "tenant", false) }.Order(),
            home.GetProperty("charges").EnumerateArray()
                .Select(c => (c.GetProperty("requestId").GetString()!, c.GetProperty("payer").GetProperty("kind").GetString()!, c.GetProperty("running").GetBoolean()))
                .Order());
    }

    [Fact]
    public async Task Csv_BillAndStatements_OneFocusRowPerChargeEqualToTheJson_QuotedPerRfc4180()
    {
        var (world, start, _, away, _) = await ThreeRequestsAsync();
        var admin = Broker.Client(Broker.FederationAdminToken);
        var monthStart = new DateTimeOffset(start.Year, start.Month, 1, 0, 0, 0, TimeSpan.Zero);

        var bill = await ReadJsonAsync(world.Tenant("t"), BillPath(world, start));
        var (billText, billRows) = await ReadAsync(world.Tenant("t"), BillPath(world, start));
        var homeStatement = await ReadJsonAsync(world.Admin("home"), StatementPath(world, "home", start));
        var (_, homeRows) = await ReadAsync(world.Admin("home"), StatementPath(world, "home", start));
        var otherStatement = await ReadJsonAsync(admin, StatementPath(world, "other", start));
        var (_, otherRows) = await ReadAsync(admin, StatementPath(world, "other", start));

        var billLines = bill.GetProperty("requests").EnumerateArray()
            .SelectMany(r => r.GetProperty("entries").EnumerateArray().Select(e => Merged(e, ("requestId", r.GetProperty("requestId").GetString()!))))
            .ToArray();
        AssertRowsMatch(billRows, billLines, "requestId", bill.GetProperty("total").GetDecimal());
        AssertRowsMatch(homeRows, homeStatement.GetProperty("charges").EnumerateArray().ToArray(), "requestId", homeStatement.GetProperty("charged").GetDecimal() + homeStatement.GetProperty("chargedBy").GetDecimal());
        AssertRowsMatch(otherRows, otherStatement.GetProperty("charges").EnumerateArray().ToArray(), "requestId", otherStatement.GetProperty("charged").GetDecimal());

        // FOCUS's period, party and place columns of the away row: served by "other" in DE-BY, invoiced by home to the tenant.
        var awayRow = billRows.Single(r => r["ResourceId"] == away);
        Assert.Equal(
            (monthStart, monthStart.AddMonths(1), OtherName, "home", world.Id("t"), "DE-BY", "Storage", "GiB-Hours", "GiB-Hours", $"tenant:{world.Id("t")}", $"provider:{world.Id("home")}"),
            (awayRow.Instant("BillingPeriodStart"), awayRow.Instant("BillingPeriodEnd"), awayRow["ProviderName"], awayRow["InvoiceIssuerName"], awayRow["SubAccountId"], awayRow["RegionId"],
             awayRow["ServiceCategory"], awayRow["ConsumedUnit"], awayRow["PricingUnit"], awayRow["x_Payer"], awayRow["x_Payee"]));
        // The name as RFC 4180 writes it: the field quoted, its quotes doubled; rows end in CRLF.
        Assert.Contains(",\"Other, \"\"Quoted\"\" AöR\",", billText, StringComparison.Ordinal);
        Assert.Equal(billRows.Count + 1, billText.Split("\r\n").Length - 1);
        Assert.EndsWith("\r\n", billText, StringComparison.Ordinal);
    }

    /// <summary>
    /// A world of "home" (price <see cref="HomePrice"/>) and "other" (<see cref="OtherPrice"/>), and tenant t at home with
    /// three requests made at once: 1,000 GiB at home and 2,000 GiB at "other", both left running, and 500 GiB at home
    /// released after 30 minutes. The clock stands 90 minutes after their start.
    /// </summary>
    private async Task<(World World, DateTimeOffset Start, string AtHome, string Away, string Ended)> ThreeRequestsAsync()
    {
        var world = await Broker.CreateWorldAsync(w =>
        {
            var home = w.Member("home", "DE-HH").DataCenter("home-dc", "DE-HH", ProtectionLevel.Normal, Pool("storage.ssd", 10_000, HomePrice));
            w.Member("other", "DE-BY").Named(OtherName).DataCenter("other-dc", "DE-BY", ProtectionLevel.Normal, Pool("storage.ssd", 10_000, OtherPrice));
            w.Tenant("t", home);
        });
        var start = Broker.Clock.GetUtcNow();
        var atHome = await AllocateAsync(world, world.Body("storage.ssd", 1_000), "home");
        var away = await AllocateAsync(world, world.Body("storage.ssd", 2_000, constraints: new { providers = new { allow = new[] { world.Id("other") } } }), "federation");
        var ended = await AllocateAsync(world, world.Body("storage.ssd", 500), "home");
        Broker.Clock.Advance(TimeSpan.FromMinutes(30));
        await ReleaseAsync(world, ended);
        Broker.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(LedgerMonth(start), LedgerMonth(Broker.Clock.GetUtcNow()));
        return (world, start, atHome, away, ended);
    }

    private static async Task<string> AllocateAsync(World world, object body, string tier)
    {
        var (_, request) = await world.RequestAsync("t", body);
        Assert.True(request.State() == "allocated" && request.Tier() == tier, request.ToString());
        return request.GetProperty("id").GetString()!;
    }

    private static async Task ReleaseAsync(World world, string id)
    {
        using var response = await world.Tenant("t").DeleteAsync($"/v1/requests/{id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static string LedgerMonth(DateTimeOffset instant) => instant.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    private static string BillPath(World world, DateTimeOffset when) => $"/v1/billing/tenants/{world.Id("t")}?period={LedgerMonth(when)}";

    private static string StatementPath(World world, string provider, DateTimeOffset when) => $"/v1/billing/providers/{world.Id(provider)}?period={LedgerMonth(when)}";

    /// <summary>A request's one entry of the bill: from, to, cost and whether it runs; its line's cost must agree.</summary>
    private static (DateTimeOffset From, DateTimeOffset To, decimal Cost, bool Running) Only(JsonElement bill, string requestId)
    {
        var line = bill.GetProperty("requests").EnumerateArray().Single(r => r.GetProperty("requestId").GetString() == requestId);
        var entry = Assert.Single(line.GetProperty("entries").EnumerateArray());
        Assert.Equal(entry.GetProperty("cost").GetDecimal(), line.GetProperty("cost").GetDecimal());
        return (entry.GetProperty("from").GetDateTimeOffset(), entry.GetProperty("to").GetDateTimeOffset(), entry.GetProperty("cost").GetDecimal(), entry.GetProperty("running").GetBoolean());
    }

    /// <summary>A JSON object with one string property added (a bill entry with its request's id, as a statement's charge carries it).</summary>
    private static JsonElement Merged(JsonElement entry, (string Name, string Value) extra)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(entry.GetRawText())!.AsObject();
        node[extra.Name] = extra.Value;
        return JsonDocument.Parse(node.ToJsonString()).RootElement.Clone();
    }
}
