using Broker.Grains.Storage;
using Broker.Requests;
using Broker.Tenants;

namespace Broker.Grains.Tenants;

/// <inheritdoc cref="ITenantQuotaGrain"/>
/// <remarks>Not reentrant: a check and its reservation are one turn, so two requests cannot both take the last units.</remarks>
public sealed class TenantQuotaGrain(
    [PersistentState("quota", StorageNames.Broker)] IPersistentState<TenantQuotaState> state) : Grain, ITenantQuotaGrain, IIncomingGrainCallFilter
{
    private readonly FailedWrite _failedWrite = new();

    /// <summary>After a failed write a retried reservation would find itself in memory and say yes: every call fails instead.</summary>
    Task IIncomingGrainCallFilter.Invoke(IIncomingGrainCallContext context)
    {
        _failedWrite.ThrowIfHappened();
        return context.Invoke();
    }

    public async Task<bool> TryReserveAsync(string requestId, RequestItem[] items, IReadOnlyDictionary<string, long> quotas)
    {
        if (state.State.Reservations.ContainsKey(requestId))
        {
            return true;
        }

        var inUse = InUse();
        foreach (var item in items)
        {
            if (quotas.TryGetValue(item.Resource, out var quota) && inUse.GetValueOrDefault(item.Resource) + items.Where(i => i.Resource == item.Resource).Sum(i => i.Amount) > quota)
            {
                return false;
            }
        }

        state.State.Reservations[requestId] = items;
        await WriteOrStepDownAsync();
        return true;
    }

    public async Task ReleaseAsync(string requestId)
    {
        if (state.State.Reservations.Remove(requestId))
        {
            await WriteOrStepDownAsync();
        }
    }

    private Task WriteOrStepDownAsync() => _failedWrite.GuardAsync(state.WriteStateAsync, DeactivateOnIdle);

    public Task<Dictionary<string, long>> InUseAsync() => Task.FromResult(InUse());

    private Dictionary<string, long> InUse() =>
        state.State.Reservations.Values.SelectMany(items => items)
            .GroupBy(i => i.Resource, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(i => i.Amount), StringComparer.Ordinal);
}

[GenerateSerializer, Alias("broker.tenant-quota-state")]
public sealed class TenantQuotaState
{
    [Id(0)] public Dictionary<string, RequestItem[]> Reservations { get; set; } = [];
}
