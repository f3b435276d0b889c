using System.Globalization;
using System.Text.Json;

namespace Broker.Tests.Reservations;

/// <summary>
/// Reservations through the API: decided at once against the time-aware book (windows touching, overlapping, exactly
/// full), ordinary requests kept off reserved capacity (or renewals into it refused), the start on the broker's clock
/// turning a reservation into an allocated request by itself, its end, cancellation giving everything back, and the
/// validation of windows. A broker of its own whose data centers' periodic timer runs every second: timers run on
/// wall time, while whether a window has begun is read from the broker's clock, which the tests move.
/// </summary>
public sealed class ReservationTests() : OwnBroker("--Broker:Directory:RepublishInterval", "00:00:01")
{
    private const decimal Price = 0.0001m;

    [Fact]
    public async Task Reservations_AtTheEdgesOfTheirWindows_ExactlyFullAndTouchingFit_OverlappingBeyondIsRejected_DecidedAtOnce()
    {
        var world = await OneDataCenterAsync(1_000);
        var now = Broker.Clock.GetUtcNow();

        var (firstStatus, first) = await ReserveAsync(world, 600, now.AddDays(1), now.AddDays(2));
        var (_, exactlyFull) = await ReserveAsync(world, 400, now.AddDays(1), now.AddDays(2));
        var (_, overlapping) = await ReserveAsync(world, 1, now.AddDays(1).AddHours(23), now.AddDays(3));
        var (_, touchingAfter) = await ReserveAsync(world, 1_000, now.AddDays(2), now.AddDays(3));
        var (_, touchingBefore) = await ReserveAsync(world, 1_000, now.AddHours(1), now.AddDays(1));

        Assert.Equal(HttpStatusCode.Created, firstStatus);
        Assert.Equal(["confirmed", "confirmed", "rejected", "confirmed", "confirmed"], new[] { first, exactlyFull, overlapping, touchingAfter, touchingBefore }.Select(r => r.State()));
        Assert.Equal("no-capacity", overlapping.ReasonCode());
        var part = Assert.Single(first.GetProperty("allocation").GetProperty("parts").EnumerateArray());
        Assert.Equal((world.Id("dc"), 600L, Price, "home"), (part.GetProperty("dataCenter").GetString(), part.GetProperty("amount").GetInt64(), part.GetProperty("pricePerUnitHour").GetDecimal(), part.GetProperty("tier").GetString()));
        Assert.Equal((now.AddDays(1), now.AddDays(2), JsonValueKind.Null), (first.GetProperty("start").GetDateTimeOffset(), first.GetProperty("end").GetDateTimeOffset(), first.GetProperty("request").ValueKind));
        // Nothing is allocated now: the capacity is only booked ahead.
        Assert.Equal(0L, (await world.PoolAsync("dc", "storage.ssd")).Allocated);
    }

    [Fact]
    public async Task OrdinaryRequest_LeaseOverlappingAReservedWindow_RejectedClearly_OneEndingAtItsStart_Allocated_RenewalIntoItRefused()
    {
        var world = await OneDataCenterAsync(1_000);
        var now = Broker.Clock.GetUtcNow();
        var (_, reserved) = await ReserveAsync(world, 1_000, now.AddHours(1), now.AddDays(1));

        var (_, overlapping) = await world.RequestAsync("t", world.Body("storage.ssd", 10, lease: "P1D"));
        var (_, endsAtStart) = await world.RequestAsync("t", world.Body("storage.ssd", 10, lease: "PT1H"));
        var id = endsAtStart.GetProperty("id").GetString()!;
        using var renewal = await world.Tenant("t").PostAsync($"/v1/requests/{id}/renew", Json.Content(new { lease = "P2D" }));
        var problem = await Json.ReadAsync(renewal);
        var (_, afterRefusal) = await world.GetAsync("t", id);

        Assert.Equal("confirmed", reserved.State());
        Assert.Equal(("rejected", "no-capacity"), (overlapping.State(), overlapping.ReasonCode()));
        Assert.Contains("reserved for a window the lease would overlap", overlapping.GetProperty("reason").GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains(overlapping.GetProperty("trace").EnumerateArray(), t => t.GetProperty("reason").GetString() == "capacity-reserved");
        Assert.Equal(("allocated", now.AddHours(1)), (endsAtStart.State(), endsAtStart.GetProperty("leaseExpiresAt").GetDateTimeOffset()));
        Assert.Equal((HttpStatusCode.Conflict, "capacity-reserved"), (renewal.StatusCode, problem.Code()));
        Assert.Equal(("allocated", now.AddHours(1)), (afterRefusal.State(), afterRefusal.GetProperty("leaseExpiresAt").GetDateTimeOffset()));
    }

    [Fact]
    public async Task Reservation_AtItsStartOnTheBrokersClock_BecomesAnAllocatedRequestByItself_UntilItsEnd_BilledForTheWindow()
    {
        var world = await OneDataCenterAsync(1_000);
        var now = Broker.Clock.GetUtcNow();
        var (start, end) = (now.AddHours(1), now.AddHours(3));
        var (_, reserved) = await ReserveAsync(world, 300, start, end);
        var reservationId = reserved.GetProperty("id").GetString()!;

        Broker.Clock.Advance(TimeSpan.FromHours(1));
        // Only the tenant's requests are read, never the reservation or the data center: the start comes by itself.
        var listed = await Eventually.ReturnsAsync(() => ListAsync(world, "/v1/requests?state=allocated"), l => l.Length == 1, "the reservation became an allocated request");
        var request = listed[0];
        var (_, active) = await ReservationAsync(world, reservationId);

        Assert.Equal((start, end, world.Id("dc")), (request.GetProperty("decidedAt").GetDateTimeOffset(), request.GetProperty("leaseExpiresAt").GetDateTimeOffset(), request.DataCenters().Single()));
        Assert.Equal(("active", request.GetProperty("id").GetString()), (active.State(), active.GetProperty("request").GetString()));
        Assert.Equal(300L, (await world.PoolAsync("dc", "storage.ssd")).Allocated);

        Broker.Clock.Advance(TimeSpan.FromHours(2));
        var expired = await Eventually.ReturnsAsync(() => ListAsync(world, "/v1/requests?state=expired"), l => l.Length == 1, "the request expired at the window's end");
        var (_, ended) = await ReservationAsync(world, reservationId);
        var bill = await Json.ReadAsync(await world.Tenant("t").GetAsync($"/v1/billing/tenants/{world.Id("t")}?period=2026-11"));

        Assert.Equal(end, expired[0].GetProperty("endedAt").GetDateTimeOffset());
        Assert.Equal("ended", ended.State());
        Assert.Equal(300 * 2 * Price, bill.GetProperty("total").GetDecimal());
        Assert.Equal(0L, (await world.PoolAsync("dc", "storage.ssd")).Allocated);
    }

    [Fact]
    public async Task Cancel_BeforeStart_GivesEverythingBack_NoRequestAtStart_CancellingAgainAnswersTheSame()
    {
        var world = await OneDataCenterAsync(1_000);
        var now = Broker.Clock.GetUtcNow();
        var (_, reserved) = await ReserveAsync(world, 1_000, now.AddHours(2), now.AddDays(1));
        var id = reserved.GetProperty("id").GetString()!;
        var (_, blocked) = await world.RequestAsync("t", world.Body("storage.ssd", 1_000, lease: "P1D"));

        using var cancelled = await world.Tenant("t").DeleteAsync($"/v1/reservations/{id}");
        using var again = await world.Tenant("t").DeleteAsync($"/v1/reservations/{id}");
        var (_, served) = await world.RequestAsync("t", world.Body("storage.ssd", 1_000, lease: "P1D"));
        Broker.Clock.Advance(TimeSpan.FromHours(3));
        var (_, afterStart) = await ReservationAsync(world, id);
        var requests = await ListAsync(world, "/v1/requests");

        Assert.Equal("rejected", blocked.State());
        Assert.Equal((HttpStatusCode.OK, "cancelled"), (cancelled.StatusCode, (await Json.ReadAsync(cancelled)).State()));
        Assert.Equal((HttpStatusCode.OK, "cancelled"), (again.StatusCode, (await Json.ReadAsync(again)).State()));
        Assert.Equal("allocated", served.State());
        Assert.Equal(("cancelled", JsonValueKind.Null), (afterStart.State(), afterStart.GetProperty("request").ValueKind));
        Assert.Equal(2, requests.Length); // the one rejected and the one served, nothing made from the reservation
        Assert.Equal(1_000L, (await world.PoolAsync("dc", "storage.ssd")).Allocated);
    }

    [Fact]
    public async Task PartnerContractVolume_CountedOverTime_OverlappingWindowsBeyondItRejected_TouchingOnesFit_OrdinaryUseKeptBeside()
    {
        var world = await Broker.CreateWorldAsync(w =>
        {
            var partner = w.Partner("partner", "DE-HE").DataCenter("partner-dc", "DE-HE", ProtectionLevel.Normal, Pool("compute.vcpu", 10_000, 0.02m));
            var home = w.Member("home", "DE-NW").DataCenter("home-dc", "DE-NW", ProtectionLevel.Normal, Pool("compute.vcpu", 10, 0.014m));
            home.Contract(partner, "compute.vcpu", maxAmount: 500, price: 0.012m);
            w.Tenant("t", home);
        });
        var now = Broker.Clock.GetUtcNow();

        var (_, first) = await ReserveAsync(world, 300, now.AddDays(1), now.AddDays(2), "compute.vcpu");
        var (_, overlapping) = await ReserveAsync(world, 300, now.AddDays(1).AddHours(12), now.AddDays(3), "compute.vcpu");
        var (_, touching) = await ReserveAsync(world, 300, now.AddDays(2), now.AddDays(3), "compute.vcpu");
        var (_, ordinaryOverlapping) = await world.RequestAsync("t", world.Body("compute.vcpu", 250, lease: "P3D"));
        var (_, ordinaryBefore) = await world.RequestAsync("t", world.Body("compute.vcpu", 200, lease: "PT12H"));

        Assert.Equal(("confirmed", "partner", 0.012m), (first.State(), first.Tier(), first.GetProperty("allocation").GetProperty("parts")[0].GetProperty("pricePerUnitHour").GetDecimal()));
        Assert.Equal(("rejected", "no-capacity"), (overlapping.State(), overlapping.ReasonCode()));
        Assert.Contains(overlapping.GetProperty("trace").EnumerateArray(), t => t.GetProperty("reason").GetString() == "contract-volume-exhausted");
        Assert.Equal("confirmed", touching.State());
        Assert.Equal(("rejected", "no-capacity"), (ordinaryOverlapping.State(), ordinaryOverlapping.ReasonCode()));
        Assert.Equal(("allocated", "partner"), (ordinaryBefore.State(), ordinaryBefore.Tier()));
    }

    [Fact]
    public async Task PoolChange_BelowWhatReservationsBookAhead_409CapacityInUse_DownToItFits()
    {
        var world = await OneDataCenterAsync(1_000);
        var now = Broker.Clock.GetUtcNow();
        await ReserveAsync(world, 600, now.AddDays(1), now.AddDays(2));
        var pool = $"/v1/datacenters/{world.Id("dc")}/pools/{world.Resource("storage.ssd")}";

        using var below = await world.Admin("home").PutAsync(pool, Json.Content(new { total = 599 }));
        using var downToIt = await world.Admin("home").PutAsync(pool, Json.Content(new { total = 600 }));

        Assert.Equal((HttpStatusCode.Conflict, "capacity-in-use"), (below.StatusCode, (await Json.ReadAsync(below)).Code()));
        Assert.Equal(HttpStatusCode.OK, downToIt.StatusCode);
    }

    [Theory]
    [InlineData("start", -1, 1, "start")]
    [InlineData("end before start", 2, 1, "end")]
    [InlineData("end equal to start", 2, 2, "end")]
    [InlineData("end beyond 365 days", 1, 366 * 24, "end")]
    public async Task Create_WindowOutOfRange_400NamingTheField(string what, int startHours, int endHours, string field)
    {
        var world = await OneDataCenterAsync(1_000);
        var now = Broker.Clock.GetUtcNow();

        var (status, problem) = await ReserveAsync(world, 1, now.AddHours(startHours), now.AddHours(endHours));

        Assert.True(status == HttpStatusCode.BadRequest, what);
        Assert.Equal(("invalid-request", field), (problem.Code(), string.Join(',', problem.GetProperty("errors").EnumerateObject().Select(e => e.Name))));
    }

    [Theory]
    [InlineData("""{"start":"2026-12-01T10:00:00"}""", "start")]
    [InlineData("""{"end":"tomorrow"}""", "end")]
    [InlineData("""{"splittable":true}""", "splittable")]
    [InlineData("""{"lease":"P1D"}""", "$.lease")]
    public async Task Create_MalformedField_400NamingIt(string extra, string field)
    {
        var world = await OneDataCenterAsync(1_000);
        var body = JsonSerializer.Deserialize<Dictionary<string, object?>>(JsonSerializer.Serialize(Body(world, 1, Broker.Clock.GetUtcNow().AddDays(1), Broker.Clock.GetUtcNow().AddDays(2), "storage.ssd")))!;
        foreach (var (key, value) in JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(extra)!)
        {
            body[key] = value;
        }

        using var response = await world.Tenant("t").PostAsync("/v1/reservations", Json.Content(body));
        var problem = await Json.ReadAsync(response);

        Assert.Equal((HttpStatusCode.BadRequest, "invalid-request"), (response.StatusCode, problem.Code()));
        Assert.Equal(field, string.Join(',', problem.GetProperty("errors").EnumerateObject().Select(e => e.Name)));
    }

    [Fact]
    public async Task Create_SameKeySameBody_SameReservation_OtherBody409_AnotherTenantSeesNone()
    {
        var world = await Broker.CreateWorldAsync(w =>
        {
            var home = w.Member("home", "DE-HH").DataCenter("dc", "DE-HH", ProtectionLevel.Normal, Pool("storage.ssd", 1_000, Price));
            w.Tenant("t", home);
            w.Tenant("other", home);
        });
        var now = Broker.Clock.GetUtcNow();
        var key = "reserve-" + Guid.NewGuid().ToString("N");

        var (created, first) = await ReserveAsync(world, 100, now.AddDays(1), now.AddDays(2), key: key);
        var (repeated, second) = await ReserveAsync(world, 100, now.AddDays(1), now.AddDays(2), key: key);
        var (reused, problem) = await ReserveAsync(world, 100, now.AddDays(1), now.AddDays(3), key: key);
        using var byOther = await world.Tenant("other").GetAsync($"/v1/reservations/{first.GetProperty("id").GetString()}");
        using var malformed = await world.Tenant("t").GetAsync("/v1/reservations/r-not-a-reservation");

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.OK), (created, repeated));
        Assert.Equal(first.GetProperty("id").GetString(), second.GetProperty("id").GetString());
        Assert.Equal((HttpStatusCode.Conflict, "idempotency-key-reused"), (reused, problem.Code()));
        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (byOther.StatusCode, malformed.StatusCode));
        Assert.Equal(100L, (await ListAsync(world, "/v1/reservations?state=confirmed")).Single().GetProperty("allocation").GetProperty("parts")[0].GetProperty("amount").GetInt64());
    }

    private Task<World> OneDataCenterAsync(long total) => Broker.CreateWorldAsync(w =>
    {
        var home = w.Member("home", "DE-HH").DataCenter("dc", "DE-HH", ProtectionLevel.Normal, Pool("storage.ssd", total, Price));
        w.Tenant("t", home);
    });

    private static Dictionary<string, object?> Body(World world, long amount, DateTimeOffset start, DateTimeOffset end, string resource) => new()
    {
        ["items"] = new[] { new { resource = world.Resource(resource), amount } },
        ["start"] = start.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        ["end"] = end.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
    };

    private static async Task<(HttpStatusCode Status, JsonElement Body)> ReserveAsync(World world, long amount, DateTimeOffset start, DateTimeOffset end, string resource = "storage.ssd", string? key = null)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "/v1/reservations") { Content = Json.Content(Body(world, amount, start, end, resource)) };
        if (key is not null)
        {
            message.Headers.Add("Idempotency-Key", key);
        }

        using var response = await world.Tenant("t").SendAsync(message);
        return (response.StatusCode, await Json.ReadAsync(response));
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> ReservationAsync(World world, string id)
    {
        using var response = await world.Tenant("t").GetAsync($"/v1/reservations/{id}");
        return (response.StatusCode, await Json.ReadAsync(response));
    }

    private static async Task<JsonElement[]> ListAsync(World world, string path)
    {
        using var response = await world.Tenant("t").GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await Json.ReadAsync(response)).GetProperty("items").EnumerateArray().ToArray();
    }
}
