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

    /// <summary>Returns whatever the request reserved from any contract (its end).</summary>
    [Alias("ReleaseContractAsync")]
    Task ReleaseContractAsync(string requestId);

    /// <summary>Returns one reservation, which its negotiation gives up (a confirm that failed, an abandoned split).</summary>
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
