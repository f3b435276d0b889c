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

    // Units reserved per class, kept beside the reservations: a check costs the request's items, not a pass over the tenant's
    // live requests. (The state write still carries every reservation: bounded by the quota, as each holds at least a unit.)
    private readonly Dictionary<string, long> _inUse = new(StringComparer.Ordinal);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var items in state.State.Reservations.Values)
        {
            Count(items, +1);
        }

        return Task.CompletedTask;
    }

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

        foreach (var item in items)
        {
            if (quotas.TryGetValue(item.Resource, out var quota) && _inUse.GetValueOrDefault(item.Resource) + items.Where(i => i.Resource == item.Resource).Sum(i => i.Amount) > quota)
            {
                return false;
            }
        }

        state.State.Reservations[requestId] = items;
        Count(items, +1);
        await WriteOrStepDownAsync();
        return true;
    }

    public async Task ReleaseAsync(string requestId)
    {
        if (state.State.Reservations.Remove(requestId, out var items))
        {
            Count(items, -1);
            await WriteOrStepDownAsync();
        }
    }

    private Task WriteOrStepDownAsync() => _failedWrite.GuardAsync(state.WriteStateAsync, DeactivateOnIdle);

    public Task<Dictionary<string, long>> InUseAsync() =>
        Task.FromResult(_inUse.Where(u => u.Value != 0).ToDictionary(u => u.Key, u => u.Value, StringComparer.Ordinal));

    private void Count(RequestItem[] items, int sign)
    {
        foreach (var item in items)
        {
            _inUse[item.Resource] = _inUse.GetValueOrDefault(item.Resource) + (sign * item.Amount);
        }
    }
}

[GenerateSerializer, Alias("broker.tenant-quota-state")]
public sealed class TenantQuotaState
{
    [Id(0)] public Dictionary<string, RequestItem[]> Reservations { get; set; } = [];
}
