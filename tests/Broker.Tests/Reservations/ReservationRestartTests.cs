using System.Globalization;
using Broker.Grains.Storage;

namespace Broker.Tests.Reservations;

/// <summary>
/// A booking across a restart of the whole (in-process) broker: the second broker over the same storage still keeps the
/// window from ordinary requests, and at start on its clock the reservation becomes its request. (In memory the
/// reminders do not survive a restart, so here a read of the reservation brings its data center back; the cluster
/// variant on PostgreSQL, where the data center's reminder does it by itself, is <c>Cluster/ReservationClusterTests</c>.)
/// </summary>
public sealed class ReservationRestartTests
{
    [Fact]
    public async Task Booking_SurvivesARestart_StillKeepsItsWindow_StartsOnTheNewBrokersClock()
    {
        var store = new MemoryRowStore();
        World world;
        string id;
        DateTimeOffset start, end;
        await using (var first = await BrokerOverStore.StartAsync(store))
        {
            world = await first.Broker.CreateWorldAsync(w =>
            {
                var home = w.Member("home", "DE-HH").DataCenter("dc", "DE-HH", ProtectionLevel.Normal, Pool("storage.ssd", 1_000, 0.0001m));
                w.Tenant("t", home);
            });
            (start, end) = (first.Broker.Clock.GetUtcNow().AddHours(1), first.Broker.Clock.GetUtcNow().AddDays(1));
            using var booked = await world.Tenant("t").PostAsync("/v1/reservations", Json.Content(new
            {
                items = new[] { new { resource = world.Resource("storage.ssd"), amount = 800 } },
                start = start.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                end = end.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            }));
            var reservation = await Json.ReadAsync(booked);
            Assert.Equal((HttpStatusCode.Created, "confirmed"), (booked.StatusCode, reservation.State()));
            id = reservation.GetProperty("id").GetString()!;
        }

        await using var second = await BrokerOverStore.StartAsync(store);
        var again = world.On(second.Broker);
        var (_, blocked) = await again.RequestAsync("t", again.Body("storage.ssd", 300, lease: "P1D"));
        var (_, beside) = await again.RequestAsync("t", again.Body("storage.ssd", 200, lease: "P1D"));
        second.Broker.Clock.Advance(TimeSpan.FromHours(1));
        var active = await Eventually.ReturnsAsync(
            async () => await Json.ReadAsync(await again.Tenant("t").GetAsync($"/v1/reservations/{id}")),
            r => r.State() == "active",
            "the reservation started after the restart");
        var (_, request) = await again.GetAsync("t", active.GetProperty("request").GetString()!);

        Assert.Equal(("rejected", "allocated"), (blocked.State(), beside.State()));
        Assert.Equal(("allocated", start, end), (request.State(), request.GetProperty("decidedAt").GetDateTimeOffset(), request.GetProperty("leaseExpiresAt").GetDateTimeOffset()));
        Assert.Equal(1_000L, (await again.PoolAsync("dc", "storage.ssd")).Allocated);
    }
}
