using System.Globalization;
using System.Text.Json;
using Broker.Grains.Storage;

namespace Broker.Tests.Reservations;

/// <summary>
/// A reservation whose whole window passes before its data center runs again (a whole-cluster restart longer than the
/// window; here the broker's clock jumps past its end): the start and the end come in one look at the schedule. The
/// reservation still becomes its request — allocated from the window's start, expired at its end, billed for it — and
/// reads ended; the data center's row is not given back as nobody's. The reservation hears of its start only after the
/// request could have heard of the end (a gate of the test, bounded), the order in which the row used to be lost and the
/// reservation stayed confirmed for good.
/// </summary>
public sealed class ReservationLateStartTests
{
    private const decimal Price = 0.0001m;

    [Fact]
    public async Task WindowPassedWhileItsDataCenterDidNotRun_StillBecomesItsRequest_ExpiredAtItsEnd_BilledForTheWindow()
    {
        var gate = new StartAfterTheEndWasTold();
        await using var broker = await BrokerOverStore.StartAsync(new MemoryRowStore(), ["--Broker:Directory:RepublishInterval", "00:00:01"], gate);
        var world = await broker.Broker.CreateWorldAsync(w =>
        {
            var home = w.Member("home", "DE-HH").DataCenter("dc", "DE-HH", ProtectionLevel.Normal, Pool("storage.ssd", 1_000, Price));
            w.Tenant("t", home);
        });
        var now = broker.Broker.Clock.GetUtcNow();
        var (start, end) = (now.AddHours(1), now.AddHours(3));
        using var booked = await world.Tenant("t").PostAsync("/v1/reservations", Json.Content(new
        {
            items = new[] { new { resource = world.Resource("storage.ssd"), amount = 300 } },
            start = start.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            end = end.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        }));
        var reservation = await Json.ReadAsync(booked);
        Assert.Equal((HttpStatusCode.Created, "confirmed"), (booked.StatusCode, reservation.State()));

        broker.Broker.Clock.Advance(TimeSpan.FromHours(4));
        // Only the tenant's requests are read until the request expired: neither the reservation nor its data center is asked.
        var expired = await Eventually.ReturnsAsync(() => ListAsync(world, "/v1/requests?state=expired"), l => l.Length == 1, "the reservation's request recorded and expired");
        using var read = await world.Tenant("t").GetAsync($"/v1/reservations/{reservation.GetProperty("id").GetString()}");
        var ended = await Json.ReadAsync(read);
        var bill = await Json.ReadAsync(await world.Tenant("t").GetAsync($"/v1/billing/tenants/{world.Id("t")}?period={start.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture)}"));

        Assert.Equal((start, end, end), (expired[0].GetProperty("decidedAt").GetDateTimeOffset(), expired[0].GetProperty("leaseExpiresAt").GetDateTimeOffset(), expired[0].GetProperty("endedAt").GetDateTimeOffset()));
        Assert.Equal(("ended", expired[0].GetProperty("id").GetString()), (ended.State(), ended.GetProperty("request").GetString()));
        Assert.Equal(300 * 2 * Price, bill.GetProperty("total").GetDecimal());
        Assert.Equal(0L, (await world.PoolAsync("dc", "storage.ssd")).Allocated);
    }

    private static async Task<JsonElement[]> ListAsync(World world, string path)
    {
        using var response = await world.Tenant("t").GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await Json.ReadAsync(response)).GetProperty("items").EnumerateArray().ToArray();
    }

    /// <summary>
    /// Holds a reservation's hearing of its start (told, or asked about its row) until a request has heard of a lease end
    /// and answered it — or, when no request is told (as it should not be of a row it never recorded), for at most a few seconds.
    /// </summary>
    private sealed class StartAfterTheEndWasTold : IIncomingGrainCallFilter
    {
        private readonly TaskCompletionSource _endTold = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task Invoke(IIncomingGrainCallContext context)
        {
            if (context.Grain is Broker.Reservations.IReservationGrain
                && context.MethodName is nameof(Broker.Reservations.IReservationGrain.StartedAsync) or nameof(Broker.Reservations.IReservationGrain.ClaimsAllocationAsync))
            {
                try
                {
                    await _endTold.Task.WaitAsync(TimeSpan.FromSeconds(3));
                }
                catch (TimeoutException)
                {
                    _endTold.TrySetResult();
                }
            }

            await context.Invoke();
            if (context.Grain is Broker.Requests.IRequestGrain && context.MethodName == nameof(Broker.Requests.IRequestGrain.LeaseEndedAsync))
            {
                _endTold.TrySetResult();
            }
        }
    }
}
