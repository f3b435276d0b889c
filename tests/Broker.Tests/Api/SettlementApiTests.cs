using System.Globalization;
using static Broker.Tests.Api.FocusCsvAnswers;

namespace Broker.Tests.Api;

/// <summary>
/// The settlement between providers through the API, against figures worked out by hand from units × hours × price:
/// three members charge each other (one allocation still running), and the transfers are fewer than the pairs.
/// </summary>
// A broker of its own: the settlement covers every provider of the federation, so no other test's may be in it.
public sealed class SettlementApiTests() : OwnBroker()
{
    private const decimal PriceA = 0.0001m;
    private const decimal PriceB = 0.0002m;
    private const decimal PriceC = 0.0003m;

    [Fact]
    public async Task Settlement_ThreeProviders_PairsNetsAndTransfersAsWorkedOutByHand_NetsSumToZero()
    {
        var (world, period) = await ThreeProvidersTradingAsync();

        var settlement = await ReadJsonAsync(Broker.Client(Broker.FederationAdminToken), $"/v1/billing/settlement?period={period}");

        // Two hours each. a's tenant at b: b charged a 1,000 × 0.0002 × 2 = 0.4. b's tenant at a: a charged b 500 × 0.0001 × 2 = 0.1.
        // b's tenant at c: c charged b 1,000 × 0.0003 × 2 = 0.6. c's tenant at a, still running: a charged c 2,000 × 0.0001 × 2 = 0.4.
        // a's own tenant at home is no charge between providers.
        var (a, b, c) = (world.Id("a"), world.Id("b"), world.Id("c"));
        Assert.Equal((period, "EUR", true), (settlement.GetProperty("period").GetString(), settlement.GetProperty("currency").GetString(), settlement.GetProperty("transfersMinimal").GetBoolean()));
        Assert.Equal(
            [(a, b, 0.1m, 0.4m, -0.3m), (a, c, 0.4m, 0m, 0.4m), (b, c, 0m, 0.6m, -0.6m)],
            settlement.GetProperty("pairs").EnumerateArray().Select(p => (p.GetProperty("a").GetString(), p.GetProperty("b").GetString(), p.GetProperty("aChargedB").GetDecimal(), p.GetProperty("bChargedA").GetDecimal(), p.GetProperty("net").GetDecimal())));
        // Positions: a 0.1 + 0.4 − 0.4 = 0.1; b 0.4 − 0.1 − 0.6 = −0.3; c 0.6 − 0.4 = 0.2.
        var positions = settlement.GetProperty("positions").EnumerateArray().Select(p => (p.GetProperty("provider").GetString(), p.GetProperty("net").GetDecimal())).ToArray();
        Assert.Equal([(a, 0.1m), (b, -0.3m), (c, 0.2m)], positions);
        Assert.Equal(0m, positions.Sum(p => p.Item2));
        // b owes 0.3 in all: two payments settle three pairs.
        Assert.Equal(
            [(b, a, 0.1m), (b, c, 0.2m)],
            settlement.GetProperty("transfers").EnumerateArray().Select(t => (t.GetProperty("from").GetString(), t.GetProperty("to").GetString(), t.GetProperty("amount").GetDecimal())));
    }

    [Fact]
    public async Task SettlementCsv_OneRowPerChargeBetweenProviders_AddingUpToEachPairOfTheJson()
    {
        var (world, period) = await ThreeProvidersTradingAsync();
        var admin = Broker.Client(Broker.FederationAdminToken);

        var settlement = await ReadJsonAsync(admin, $"/v1/billing/settlement?period={period}");
        var (_, rows) = await ReadAsync(admin, $"/v1/billing/settlement?period={period}");

        // Four charges between providers (the home one is the tenant's only); the running one says so.
        Assert.Equal(4, rows.Count);
        Assert.Equal([(world.Id("tc"), $"provider:{world.Id("c")}", $"provider:{world.Id("a")}")], rows.Where(r => r["x_Running"] == "true").Select(r => (r["SubAccountId"], r["x_Payer"], r["x_Payee"])));
        Assert.All(rows, r => Assert.True(r["x_Payer"].StartsWith("provider:", StringComparison.Ordinal) && r["x_Payee"].StartsWith("provider:", StringComparison.Ordinal), string.Join(",", r.Values)));
        decimal Charged(string payee, string payer) =>
            rows.Where(r => r["x_Payee"] == $"provider:{payee}" && r["x_Payer"] == $"provider:{payer}").Sum(r => r.Number("BilledCost"));
        foreach (var pair in settlement.GetProperty("pairs").EnumerateArray())
        {
            var (a, b) = (pair.GetProperty("a").GetString()!, pair.GetProperty("b").GetString()!);
            Assert.Equal((a, b, pair.GetProperty("aChargedB").GetDecimal(), pair.GetProperty("bChargedA").GetDecimal()), (a, b, Charged(a, b), Charged(b, a)));
        }
    }

    /// <summary>
    /// Members a, b, c (prices <see cref="PriceA"/>, <see cref="PriceB"/>, <see cref="PriceC"/>) with a tenant each. At one
    /// instant: ta takes 1,000 at b and 100 at home, tb takes 500 at a and 1,000 at c, tc takes 2,000 at a. Two hours
    /// later all but tc's are released; the clock stays there.
    /// </summary>
    private async Task<(World World, string Period)> ThreeProvidersTradingAsync()
    {
        var world = await Broker.CreateWorldAsync(w =>
        {
            var a = w.Member("a", "DE-HH").DataCenter("a-dc", "DE-HH", ProtectionLevel.Normal, Pool("storage.ssd", 10_000, PriceA));
            var b = w.Member("b", "DE-BY").DataCenter("b-dc", "DE-BY", ProtectionLevel.Normal, Pool("storage.ssd", 10_000, PriceB));
            var c = w.Member("c", "DE-NW").DataCenter("c-dc", "DE-NW", ProtectionLevel.Normal, Pool("storage.ssd", 10_000, PriceC));
            w.Tenant("ta", a);
            w.Tenant("tb", b);
            w.Tenant("tc", c);
        });
        var period = Broker.Clock.GetUtcNow().ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var ended = new List<(string Tenant, string Id)>
        {
            ("ta", await AllocateAsync(world, "ta", 1_000, at: "b")),
            ("ta", await AllocateAsync(world, "ta", 100, at: "a")),
            ("tb", await AllocateAsync(world, "tb", 500, at: "a")),
            ("tb", await AllocateAsync(world, "tb", 1_000, at: "c")),
        };
        await AllocateAsync(world, "tc", 2_000, at: "a");
        Broker.Clock.Advance(TimeSpan.FromHours(2));
        foreach (var (tenant, id) in ended)
        {
            using var release = await world.Tenant(tenant).DeleteAsync($"/v1/requests/{id}");
            Assert.Equal(HttpStatusCode.OK, release.StatusCode);
        }

        Assert.Equal(period, Broker.Clock.GetUtcNow().ToString("yyyy-MM", CultureInfo.InvariantCulture));
        return (world, period);
    }

    private static async Task<string> AllocateAsync(World world, string tenant, long amount, string at)
    {
        var (_, request) = await world.RequestAsync(tenant, world.Body("storage.ssd", amount, constraints: new { providers = new { allow = new[] { world.Id(at) } } }));
        Assert.True(request.State() == "allocated" && request.GetProperty("allocation").GetProperty("provider").GetString() == world.Id(at), request.ToString());
        return request.GetProperty("id").GetString()!;
    }
}
