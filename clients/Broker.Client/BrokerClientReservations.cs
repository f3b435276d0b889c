using Broker.Contracts;

namespace Broker.Client;

/// <summary>Reservations (a tenant books capacity for a window ahead) and drains (a provider's admin empties a data center).</summary>
public sealed partial class BrokerClient
{
    /// <summary>
    /// Books capacity for the window <c>[start, end)</c>, decided at once: confirmed (where and at what price) or
    /// rejected (why). The <paramref name="idempotencyKey"/> (a fresh one when not given) goes with every retry, so the
    /// window is booked once however often the call is repeated.
    /// </summary>
    public Task<ReservationResource> CreateReservationAsync(CreateReservationBody reservation, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        var key = idempotencyKey ?? NewIdempotencyKey();
        return SendAsync<ReservationResource>(HttpMethod.Post, "v1/reservations", reservation, message => message.Headers.Add("Idempotency-Key", key), cancellationToken);
    }

    public Task<ReservationResource> GetReservationAsync(string id, CancellationToken cancellationToken = default) =>
        SendAsync<ReservationResource>(HttpMethod.Get, $"v1/reservations/{Uri.EscapeDataString(id)}", null, null, cancellationToken);

    /// <summary>One page of the caller's reservations, newest first.</summary>
    public Task<ReservationListResource> ListReservationsAsync(ReservationState? state = null, int? limit = null, string? after = null, CancellationToken cancellationToken = default) =>
        SendAsync<ReservationListResource>(HttpMethod.Get, ListPath("v1/reservations", state is { } s ? ApiEnums.Kebab(s) : null, limit, after), null, null, cancellationToken);

    /// <summary>Before its start: cancels the reservation and gives everything back; once active: ends it. Again: unchanged.</summary>
    public Task<ReservationResource> CancelReservationAsync(string id, CancellationToken cancellationToken = default) =>
        SendAsync<ReservationResource>(HttpMethod.Delete, $"v1/reservations/{Uri.EscapeDataString(id)}", null, null, cancellationToken);

    /// <summary>Drains a data center: it takes nothing new, and its allocations move elsewhere make-before-break. Starting a running drain answers it.</summary>
    public Task<DrainResource> StartDrainAsync(string dataCenter, string? reason = null, CancellationToken cancellationToken = default) =>
        SendAsync<DrainResource>(HttpMethod.Post, DrainPath(dataCenter), new DrainBody { Reason = reason }, null, cancellationToken);

    /// <summary>The drain as it is now: moved, remaining, stuck with their reasons; <c>none</c> when none runs.</summary>
    public Task<DrainResource> GetDrainAsync(string dataCenter, CancellationToken cancellationToken = default) =>
        SendAsync<DrainResource>(HttpMethod.Get, DrainPath(dataCenter), null, null, cancellationToken);

    /// <summary>Ends the drain: the data center takes allocations again.</summary>
    public Task<DrainResource> StopDrainAsync(string dataCenter, CancellationToken cancellationToken = default) =>
        SendAsync<DrainResource>(HttpMethod.Delete, DrainPath(dataCenter), null, null, cancellationToken);

    private static string DrainPath(string dataCenter) => $"v1/datacenters/{Uri.EscapeDataString(dataCenter)}/drain";
}
