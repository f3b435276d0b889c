using System.Text.Json;

namespace Broker.Tests.Api;

/// <summary>
/// An allocation across a month end is billed in each month for the hours it ran in that month, read per period
/// through the API — one that ended, and one that still runs (its later month so far).
/// </summary>
// A broker of its own: its clock is moved to a month end, which the shared broker's clock may be past already.
public sealed class MonthBoundaryBillingTests() : OwnBroker()
{
    private const long Amount = 1_000;
    private const decimal Price = 0.0001m;
    private static readonly DateTimeOffset Midnight = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Allocation_From30Nov2300To1Dec0100_OneHourInNovembersBillAndOneInDecembers()
    {
        var world = await OneProviderWorldAsync("t");
        var start = new DateTimeOffset(2026, 11, 30, 23, 0, 0, TimeSpan.Zero);
        var id = await AllocateAtAsync(world, start);

        Broker.Clock.Advance(TimeSpan.FromHours(2));
        using var release = await world.Tenant("t").DeleteAsync($"/v1/requests/{id}");
        Assert.Equal(HttpStatusCode.OK, release.StatusCode);

        var november = await BillAsync(world, "2026-11");
        var december = await BillAsync(world, "2026-12");
        var october = await BillAsync(world, "2026-10");

        // One hour of 1,000 units at the pool's list price in each month.
        const decimal hour = Amount * Price * 1;
        Assert.Equal(("2026-11", hour, (start, Midnight, hour)), (november.GetProperty("period").GetString(), november.GetProperty("total").GetDecimal(), OnlyEntry(november, id)));
        Assert.Equal(("2026-12", hour, (Midnight, Midnight.AddHours(1), hour)), (december.GetProperty("period").GetString(), december.GetProperty("total").GetDecimal(), OnlyEntry(december, id)));
        Assert.Equal((0, 0m), (october.GetProperty("requests").GetArrayLength(), october.GetProperty("total").GetDecimal()));

        // Without a period the bill is the current month's: December's, by the broker's clock.
        using var current = await world.Tenant("t").GetAsync($"/v1/billing/tenants/{world.Id("t")}");
        Assert.Equal("2026-12", (await Json.ReadAsync(current)).GetProperty("period").GetString());
    }

    [Fact]
    public async Task RunningAllocation_From30Nov2200_NovembersPartInNovember_DecembersSoFarInDecember()
    {
        var world = await OneProviderWorldAsync("t");
        var start = new DateTimeOffset(2026, 11, 30, 22, 0, 0, TimeSpan.Zero);
        var id = await AllocateAtAsync(world, start);

        Broker.Clock.Advance(TimeSpan.FromHours(5.5));
        var now = Broker.Clock.GetUtcNow();
        var november = await BillAsync(world, "2026-11");
        var december = await BillAsync(world, "2026-12");

        // Two hours of November, three and a half of December up to now, both still running; nothing ended yet.
        Assert.Equal((Amount * Price * 2, (start, Midnight, Amount * Price * 2, true)), (november.GetProperty("total").GetDecimal(), RunningEntry(november, id)));
        Assert.Equal((Amount * Price * 3.5m, (Midnight, now, Amount * Price * 3.5m, true)), (december.GetProperty("total").GetDecimal(), RunningEntry(december, id)));
        // The home provider's statement splits the same way.
        Assert.Equal((Amount * Price * 2, Amount * Price * 3.5m), (await ChargedAsync(world, "2026-11"), await ChargedAsync(world, "2026-12")));
    }

    /// <summary>Moves the broker's clock to <paramref name="start"/> and allocates <see cref="Amount"/> units for t there.</summary>
    private async Task<string> AllocateAtAsync(World world, DateTimeOffset start)
    {
        Broker.Clock.Advance(start - Broker.Clock.GetUtcNow());
        var (_, request) = await world.RequestAsync("t", world.Body("storage.ssd", Amount));
        Assert.Equal(("allocated", start), (request.State(), request.GetProperty("decidedAt").GetDateTimeOffset()));
        return request.GetProperty("id").GetString()!;
    }

    private static (DateTimeOffset From, DateTimeOffset To, decimal Cost, bool Running) RunningEntry(JsonElement bill, string requestId)
    {
        var line = Assert.Single(bill.GetProperty("requests").EnumerateArray());
        Assert.Equal(requestId, line.GetProperty("requestId").GetString());
        var entry = Assert.Single(line.GetProperty("entries").EnumerateArray());
        return (entry.GetProperty("from").GetDateTimeOffset(), entry.GetProperty("to").GetDateTimeOffset(), entry.GetProperty("cost").GetDecimal(), entry.GetProperty("running").GetBoolean());
    }

    private static async Task<decimal> ChargedAsync(World world, string period)
    {
        using var response = await world.Admin("home").GetAsync($"/v1/billing/providers/{world.Id("home")}?period={period}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await Json.ReadAsync(response)).GetProperty("charged").GetDecimal();
    }

    private static (DateTimeOffset From, DateTimeOffset To, decimal Cost) OnlyEntry(JsonElement bill, string requestId)
    {
        var line = Assert.Single(bill.GetProperty("requests").EnumerateArray());
        Assert.Equal(requestId, line.GetProperty("requestId").GetString());
        var entry = Assert.Single(line.GetProperty("entries").EnumerateArray());
        return (entry.GetProperty("from").GetDateTimeOffset(), entry.GetProperty("to").GetDateTimeOffset(), entry.GetProperty("cost").GetDecimal());
    }

    private static async Task<JsonElement> BillAsync(World world, string period)
    {
        using var response = await world.Tenant("t").GetAsync($"/v1/billing/tenants/{world.Id("t")}?period={period}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await Json.ReadAsync(response);
    }
}
