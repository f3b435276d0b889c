namespace Broker.Providers;

/// <summary>
/// A provider's own mutable truth beyond its registration: how much of each partner contract its tenants use.
/// A partner is offered to a tenant only within the remaining volume of its home provider's contract.
/// </summary>
[Alias("broker.IProviderGrain")]
public interface IProviderGrain : IGrainWithStringKey
{
    /// <summary>
    /// Reserves the claims on this provider's contracts with <paramref name="partner"/> for one request:
    /// all of them if each fits under its contract's maximum, otherwise none. Idempotent per reservation key.
    /// </summary>
    [Alias("TryReserveContractsAsync")]
    Task<bool> TryReserveContractsAsync(string partner, string reservationKey, ContractClaim[] claims);

    /// <summary>
    /// As <see cref="TryReserveContractsAsync"/> for an allocation held until <paramref name="until"/>: the volume booked
    /// for windows ahead that it would overlap counts as used.
    /// </summary>
    [Alias("TryReserveContractsUntilAsync")]
    Task<bool> TryReserveContractsUntilAsync(string partner, string reservationKey, ContractClaim[] claims, DateTimeOffset until);

    /// <summary>
    /// Books contract volume for a reservation's window [start, end): all claims if each fits under its contract's
    /// maximum beside what is used now and what other windows book at any moment of it, otherwise none. Idempotent per key.
    /// </summary>
    [Alias("TryReserveContractWindowAsync")]
    Task<bool> TryReserveContractWindowAsync(string partner, string windowKey, ContractClaim[] claims, DateTimeOffset start, DateTimeOffset end);

    /// <summary>The reservation started: its window's volume becomes the request's use under <paramref name="reservationKey"/>. Idempotent.</summary>
    [Alias("StartContractWindowAsync")]
    Task StartContractWindowAsync(string windowKey, string reservationKey);

    /// <summary>Returns whatever the request reserved from any contract (its end).</summary>
    [Alias("ReleaseContractAsync")]
    Task ReleaseContractAsync(string requestId);

    /// <summary>Returns what the request reserved for its part at one partner data center (a drain moved it away from there).</summary>
    [Alias("ReleaseContractAtAsync")]
    Task ReleaseContractAtAsync(string requestId, string dataCenter);

    /// <summary>Returns one reservation or booked window, which its negotiation gives up (a confirm that failed, an abandoned split, a cancelled reservation).</summary>
    [Alias("AbandonContractAsync")]
    Task AbandonContractAsync(string reservationKey);

    /// <summary>Units of each (partner, resource) contract in use now.</summary>
    [Alias("GetContractUsageAsync")]
    Task<ContractUsage[]> GetContractUsageAsync();
}

[GenerateSerializer, Immutable, Alias("broker.contract-usage")]
public sealed record ContractUsage([property: Id(0)] string Partner, [property: Id(1)] string Resource, [property: Id(2)] long Used);

/// <summary>Units of a class a request wants from a partner, and the contract's maximum for that class.</summary>
[GenerateSerializer, Immutable, Alias("broker.contract-claim")]
public sealed record ContractClaim([property: Id(0)] string Resource, [property: Id(1)] long Amount, [property: Id(2)] long MaxAmount);
