using System.Globalization;
using System.Text.Json;

namespace Broker.Tests.Cluster;

/// <summary>
/// A reservation across a whole-cluster restart, on PostgreSQL and three silo processes killed with SIGKILL: nobody
/// reads it afterwards, yet at its start its data center (woken by its one reminder) turns it into an allocated
/// request, which expires at the window's end; the booking was durable and the start needs no per-reservation timer.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ReservationClusterTests(ClusterFixture cluster)
{
    [Fact]
    public async Task WholeClusterRestart_BeforeTheStart_TheReservationStartsByItself_AndEndsAtItsEnd()
    {
        var world = await ClusterWorld.CreateAsync(cluster, 1_000);
        var start = DateTimeOffset.UtcNow.AddSeconds(20);
        var end = start.AddSeconds(40);
        using var tenant = world.Client(0);
        using var booked = await tenant.PostAsync("/v1/reservations", Json.Content(new
        {
            items = new[] { new { resource = world.Resource, amount = 400 } },
            start = start.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            end = end.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        }));
        var reservation = await Json.ReadAsync(booked);
        Assert.Equal((HttpStatusCode.Created, "confirmed"), (booked.StatusCode, reservation.State()));

        foreach (var silo in cluster.Silo)
        {
            silo.Kill();
        }

        await cluster.StartAsync(0, 1, 2);

        // Only the tenant's list of requests is read: neither the reservation nor its data center is asked.
        var allocated = await ListedAsync(world, 2, "/v1/requests?state=allocated", TimeSpan.FromSeconds(150));
        var request = Assert.Single(allocated);
        Assert.Equal(reservation.GetProperty("allocation").GetProperty("parts")[0].GetProperty("dataCenter").GetString(), ClusterWorld.AllocationOf(request).DataCenter);
        Assert.Equal(end.UtcDateTime.ToString("s", CultureInfo.InvariantCulture), request.GetProperty("leaseExpiresAt").GetDateTimeOffset().UtcDateTime.ToString("s", CultureInfo.InvariantCulture));
        var expired = await ListedAsync(world, 1, "/v1/requests?state=expired", TimeSpan.FromSeconds(150));
        Assert.Equal(request.GetProperty("id").GetString(), Assert.Single(expired).GetProperty("id").GetString());
    }

    private static async Task<JsonElement[]> ListedAsync(ClusterWorld world, int silo, string path, TimeSpan deadline)
    {
        using var client = world.Client(silo);
        return await Eventually.ReturnsAsync(
            async () =>
            {
                try
                {
                    using var response = await client.GetAsync(path);
                    return response.StatusCode == HttpStatusCode.OK ? (await Json.ReadAsync(response)).GetProperty("items").EnumerateArray().ToArray() : [];
                }
                catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
                {
                    return [];
                }
            },
            items => items.Length > 0,
            $"{path} lists the reservation's request",
            deadline);
    }
}
