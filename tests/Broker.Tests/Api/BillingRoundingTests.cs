using System.Text.Json;

namespace Broker.Tests.Api;

/// <summary>
/// Money as bills and statements show it: EUR, each line and every total rounded half to even to six decimal
/// places from the exact costs beneath it, what is due rounded half to even to the cent — asserted as the literal
/// JSON numbers a client reads.
/// </summary>
// A broker of its own: every request here must end within one month of the broker's clock.
public sealed class BillingRoundingTests() : OwnBroker()
{
    [Fact]
    public async Task BillsAndStatement_ShowSixDecimalsFromExactCosts_DueToTheCent_HalfToEven()
    {
        var world = await Broker.CreateWorldAsync(w =>
        {
            var home = w.Member("home", "DE-HH").DataCenter("dc", "DE-HH", ProtectionLevel.Normal,
                Pool("storage.ssd", 10_000, 0.000125m),
                Pool("storage.hdd", 10, 0.0000004m),
                Pool("compute.vcpu", 100, 0.00012m),
                Pool("compute.memory", 10, 0.0000025m));
            w.Tenant("a", home);
            w.Tenant("b", home);
            w.Tenant("c", home);
        });
        var a = await AllocateAsync(world, "a", "storage.ssd", 1_000);
        var b = new[] { await AllocateAsync(world, "b", "storage.hdd", 1), await AllocateAsync(world, "b", "storage.hdd", 1), await AllocateAsync(world, "b", "storage.hdd", 1) };
        var cThird = await AllocateAsync(world, "c", "compute.vcpu", 7);
        var cTie = await AllocateAsync(world, "c", "compute.memory", 1);
        var period = Broker.Clock.GetUtcNow().ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);

        Broker.Clock.Advance(TimeSpan.FromMinutes(20));
        await ReleaseAsync(world, "c", cThird);
        Broker.Clock.Advance(TimeSpan.FromMinutes(40));
        foreach (var (tenant, id) in b.Select(id => ("b", id)).Append(("a", a)).Append(("c", cTie)))
        {
            await ReleaseAsync(world, tenant, id);
        }

        var billA = await ReadAsync(world.Tenant("a"), $"/v1/billing/tenants/{world.Id("a")}?period={period}");
        var billB = await ReadAsync(world.Tenant("b"), $"/v1/billing/tenants/{world.Id("b")}?period={period}");
        var billC = await ReadAsync(world.Tenant("c"), $"/v1/billing/tenants/{world.Id("c")}?period={period}");
        var statement = await ReadAsync(world.Admin("home"), $"/v1/billing/providers/{world.Id("home")}?period={period}");

        // 1,000 × 0.000125 × 1 h = 0.125 exactly: due 0.12, the cent rounded to even (away from zero would be 0.13).
        Assert.Equal(("EUR", "0.125", "0.125", "0.12"), (billA.GetProperty("currency").GetString(), Cost(billA, a), Raw(billA, "total"), Raw(billA, "totalDue")));
        // Three lines of 1 × 0.0000004 × 1 h each show 0; their total is taken from the exact costs: 0.0000012 → 0.000001.
        Assert.Equal(("0 0 0", "0.000001", "0"), (string.Join(' ', b.Select(id => Cost(billB, id))), Raw(billB, "total"), Raw(billB, "totalDue")));
        // 7 × 0.00012 × ⅓ h is 0.00028, not 0.000279999…; 1 × 0.0000025 × 1 h is a tie at the seventh place: to even, 0.000002.
        Assert.Equal(("0.00028", "0.000002", "0.000282", "0"), (Cost(billC, cThird), Cost(billC, cTie), Raw(billC, "total"), Raw(billC, "totalDue")));
        // The provider charged 0.125 + 0.0000012 + 0.0002825 = 0.1252837 exactly: 0.125284 (adding its shown lines would give 0.125283).
        Assert.Equal(
            ("EUR", "0.125 0.000001 0.000282", "0.125284", "0", "0.125284", "0.13"),
            (statement.GetProperty("currency").GetString(), string.Join(' ', new[] { "a", "b", "c" }.Select(t => Counterparty(statement, world.Id(t)).GetProperty("charged").GetRawText())),
             Raw(statement, "charged"), Raw(statement, "chargedBy"), Raw(statement, "net"), Raw(statement, "netDue")));
        Assert.Equal(("0", "0.000001"), (Counterparty(statement, world.Id("b")).GetProperty("chargedBy").GetRawText(), Counterparty(statement, world.Id("b")).GetProperty("net").GetRawText()));
    }

    private static async Task<string> AllocateAsync(World world, string tenant, string resourceClass, long amount)
    {
        var (_, request) = await world.RequestAsync(tenant, world.Body(resourceClass, amount));
        Assert.True(request.State() == "allocated", request.ToString());
        return request.GetProperty("id").GetString()!;
    }

    private static async Task ReleaseAsync(World world, string tenant, string id)
    {
        using var response = await world.Tenant(tenant).DeleteAsync($"/v1/requests/{id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task<JsonElement> ReadAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await Json.ReadAsync(response);
    }

    private static string Raw(JsonElement document, string property) => document.GetProperty(property).GetRawText();

    /// <summary>The cost of a request's one entry and of its line, which must agree (one entry per request here).</summary>
    private static string Cost(JsonElement bill, string requestId)
    {
        var line = bill.GetProperty("requests").EnumerateArray().Single(r => r.GetProperty("requestId").GetString() == requestId);
        var entry = Assert.Single(line.GetProperty("entries").EnumerateArray());
        Assert.Equal(entry.GetProperty("cost").GetRawText(), line.GetProperty("cost").GetRawText());
        return line.GetProperty("cost").GetRawText();
    }

    private static JsonElement Counterparty(JsonElement statement, string id) =>
        statement.GetProperty("counterparties").EnumerateArray().Single(c => c.GetProperty("counterparty").GetProperty("id").GetString() == id);
}
