using Broker.Providers;

namespace Broker.Grains.Providers;

/// <summary>Tracks how much of each partner contract a (home) provider's tenants use right now.</summary>
public sealed class ProviderGrain(
    [PersistentState("provider", StorageNames.Broker)] IPersistentState<ProviderGrainState> state) : Grain, IProviderGrain
{
    public async Task<bool> TryReserveContractsAsync(string partner, string reservationKey, ContractClaim[] claims)
    {
        var reservations = state.State.Reservations;
        if (reservations.ContainsKey(reservationKey))
        {
            return true;
        }

        foreach (var claim in claims)
        {
            if (Used(partner, claim.Resource) + claim.Amount > claim.MaxAmount)
            {
                return false;
            }
        }

        reservations[reservationKey] = claims.Select(c => new ContractUsage(partner, c.Resource, c.Amount)).ToArray();
        await WriteOrStepDownAsync();
        return true;
    }

    public async Task ReleaseContractAsync(string requestId)
    {
        var keys = state.State.Reservations.Keys.Where(key => ContractReservations.BelongsTo(key, requestId)).ToArray();
        foreach (var key in keys)
        {
            state.State.Reservations.Remove(key);
        }

        if (keys.Length > 0)
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
        state.State.Reservations.Values
            .SelectMany(r => r)
            .GroupBy(u => (u.Partner, u.Resource))
            .Select(g => new ContractUsage(g.Key.Partner, g.Key.Resource, g.Sum(u => u.Used)))
            .ToArray());

    private long Used(string partner, string resource) => state.State.Reservations.Values
        .SelectMany(r => r)
        .Where(u => u.Partner == partner && u.Resource == resource)
        .Sum(u => u.Used);
}

[GenerateSerializer, Alias("broker.provider-grain-state")]
public sealed class ProviderGrainState
{
    /// <summary>Reservation key (request and data center) → what it reserved from partner contracts.</summary>
    [Id(0)] public Dictionary<string, ContractUsage[]> Reservations { get; set; } = [];
}

/// <summary>A request may hold parts at several partner data centers (when split): one reservation each.</summary>
public static class ContractReservations
{
    public static string Key(string requestId, string dataCenter) => $"{requestId}@{dataCenter}";

    public static bool BelongsTo(string key, string requestId) =>
        key.Length > requestId.Length && key.StartsWith(requestId, StringComparison.Ordinal) && key[requestId.Length] == '@';
}
