using Broker.Providers;

namespace Broker.Grains.Providers;

/// <summary>Tracks how much of each partner contract a (home) provider's tenants use right now.</summary>
public sealed class ProviderGrain(
    [PersistentState("provider", StorageNames.Broker)] IPersistentState<ProviderGrainState> state) : Grain, IProviderGrain
{
    // Units in use per (partner, resource), kept beside the reservations so a reserve costs the claims, not a pass over all.
    private readonly Dictionary<(string Partner, string Resource), long> _used = [];

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var usage in state.State.Reservations.Values.SelectMany(r => r))
        {
            Count(usage, +1);
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
        Array.ForEach(usages, u => Count(u, +1));
        await WriteOrStepDownAsync();
        return true;
    }

    public Task ReleaseContractAsync(string requestId) =>
        RemoveAsync(state.State.Reservations.Keys.Where(key => ContractReservations.BelongsTo(key, requestId)).ToArray());

    public Task ReleaseContractAtAsync(string requestId, string dataCenter) =>
        RemoveAsync(state.State.Reservations.Keys.Where(key => ContractReservations.BelongsTo(key, requestId, dataCenter)).ToArray());

    public Task AbandonContractAsync(string reservationKey) => RemoveAsync([reservationKey]);

    private async Task RemoveAsync(string[] keys)
    {
        var removed = false;
        foreach (var key in keys)
        {
            if (state.State.Reservations.Remove(key, out var usages))
            {
                Array.ForEach(usages, u => Count(u, -1));
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
    private async Task WriteOrStepDownAsync()
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            DeactivateOnIdle();
            throw;
        }
    }

    public Task<ContractUsage[]> GetContractUsageAsync() => Task.FromResult(
        _used.Where(u => u.Value != 0).Select(u => new ContractUsage(u.Key.Partner, u.Key.Resource, u.Value)).ToArray());

    private void Count(ContractUsage usage, int sign) =>
        _used[(usage.Partner, usage.Resource)] = _used.GetValueOrDefault((usage.Partner, usage.Resource)) + (sign * usage.Used);
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

    public static bool BelongsTo(string key, string requestId) =>
        key.Length > requestId.Length && key.StartsWith(requestId, StringComparison.Ordinal) && key[requestId.Length] == '@';

    /// <summary>The request's reservation for its part at one data center (any negotiation of it).</summary>
    public static bool BelongsTo(string key, string requestId, string dataCenter) =>
        key.StartsWith($"{requestId}@{dataCenter}#", StringComparison.Ordinal);
}
