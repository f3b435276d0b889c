using Broker.Grains.Federation;
using Broker.Grains.Storage;
using Broker.Providers;
using Broker.Requests;

namespace Broker.Grains.Providers;

/// <summary>Tracks how much of each partner contract a (home) provider's tenants use right now.</summary>
public sealed class ProviderGrain(
    [PersistentState("provider", StorageNames.Broker)] IPersistentState<ProviderGrainState> state) : Grain, IProviderGrain, IIncomingGrainCallFilter
{
    private readonly FailedWrite _failedWrite = new();

    // Units in use per (partner, resource), kept beside the reservations so a reserve costs the claims, not a pass over all.
    private readonly Dictionary<(string Partner, string Resource), long> _used = [];

    // Reservation keys per request, so a release finds its request's keys without a pass over every reservation.
    private readonly Dictionary<string, HashSet<string>> _keysOfRequest = new(StringComparer.Ordinal);

    /// <summary>After a failed write a retried reservation would find itself in memory and say yes: every call fails instead.</summary>
    Task IIncomingGrainCallFilter.Invoke(IIncomingGrainCallContext context)
    {
        _failedWrite.ThrowIfHappened();
        return context.Invoke();
    }

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var (key, usages) in state.State.Reservations)
        {
            Track(key, usages, +1);
        }

        return Task.CompletedTask;
    }

    public async Task<bool> TryReserveContractsAsync(string partner, string reservationKey, ContractClaim[] claims)
    {
        if (state.State.Reservations.ContainsKey(reservationKey))
        {
            return true;
        }

        foreach (var claim in claims)
        {
            if (_used.GetValueOrDefault((partner, claim.Resource)) + claim.Amount > claim.MaxAmount)
            {
                return false;
            }
        }

        var usages = claims.Select(c => new ContractUsage(partner, c.Resource, c.Amount)).ToArray();
        state.State.Reservations[reservationKey] = usages;
        Track(reservationKey, usages, +1);
        await WriteOrStepDownAsync();
        return true;
    }

    public Task ReleaseContractAsync(string requestId) =>
        RemoveAsync(_keysOfRequest.TryGetValue(requestId, out var keys) ? [.. keys] : []);

    public Task AbandonContractAsync(string reservationKey) => RemoveAsync([reservationKey]);

    private async Task RemoveAsync(string[] keys)
    {
        var removed = false;
        foreach (var key in keys)
        {
            if (state.State.Reservations.Remove(key, out var usages))
            {
                Track(key, usages, -1);
                removed = true;
            }
        }

        if (removed)
        {
            await WriteOrStepDownAsync();
        }
    }

    /// <summary>
    /// A failed write leaves memory ahead of storage: this activation steps down, and the next one starts from
    /// what is stored — the fault run saw a partner contract served beyond its volume across a PostgreSQL restart.
    /// </summary>
    private Task WriteOrStepDownAsync() => _failedWrite.GuardAsync(state.WriteStateAsync, DeactivateOnIdle);

    public Task<ContractUsage[]> GetContractUsageAsync() => Task.FromResult(
        _used.Where(u => u.Value != 0).Select(u => new ContractUsage(u.Key.Partner, u.Key.Resource, u.Value)).ToArray());

    private void Track(string key, ContractUsage[] usages, int sign)
    {
        foreach (var usage in usages)
        {
            _used[(usage.Partner, usage.Resource)] = _used.GetValueOrDefault((usage.Partner, usage.Resource)) + (sign * usage.Used);
        }

        var requestId = ContractReservations.RequestOf(key);
        if (sign > 0)
        {
            (_keysOfRequest.TryGetValue(requestId, out var keys) ? keys : _keysOfRequest[requestId] = new(StringComparer.Ordinal)).Add(key);
        }
        else if (_keysOfRequest.TryGetValue(requestId, out var keys) && keys.Remove(key) && keys.Count == 0)
        {
            _keysOfRequest.Remove(requestId);
        }
    }
}

[GenerateSerializer, Alias("broker.provider-grain-state")]
public sealed class ProviderGrainState
{
    /// <summary>Reservation key (request, data center and negotiation) → what it reserved from partner contracts.</summary>
    [Id(0)] public Dictionary<string, ContractUsage[]> Reservations { get; set; } = [];
}

/// <summary>
/// A request may hold parts at several partner data centers (when split): one reservation each, and one per negotiation
/// of the request — two activations of one request during a membership change must not share (and one give back) the
/// other's reservation.
/// </summary>
public static class ContractReservations
{
    public static string Key(string requestId, string dataCenter, Guid attempt) => $"{requestId}@{dataCenter}#{attempt:N}";

    /// <summary>
    /// Reserves one negotiation's parts at a partner data center from the home provider's contracts (idempotent per key):
    /// false when a contract's volume would be exceeded.
    /// </summary>
    public static Task<bool> ReserveAsync(IGrainFactory grains, FederationView federation, string homeProvider, string requestId, string dataCenter, string partner, Guid attempt, AllocationPart[] parts)
    {
        var claims = parts
            .Select(p => new ContractClaim(p.Resource, p.Amount, federation.ContractFor(homeProvider, p.Provider, p.Resource)?.MaxAmount ?? 0))
            .ToArray();
        return grains.Reference<IProviderGrain>(homeProvider).TryReserveContractsAsync(partner, Key(requestId, dataCenter, attempt), claims);
    }

    /// <summary>The request a reservation key belongs to (request ids never contain '@').</summary>
    public static string RequestOf(string key) => key[..key.IndexOf('@', StringComparison.Ordinal)];
}
