using Broker.Grains.Federation;
using Broker.Grains.Storage;
using Broker.Grains.Time;
using Broker.Providers;
using Broker.Requests;
using Microsoft.Extensions.DependencyInjection;

namespace Broker.Grains.Providers;

/// <summary>
/// Tracks how much of each partner contract a (home) provider's tenants use right now, and how much reservations book
/// for windows ahead: an allocation's use counts from now on as if it lasted (its renewals are not this grain's to
/// know), a window only within itself, so at every moment ahead use plus booked windows stay within the contract.
/// </summary>
public sealed class ProviderGrain(
    [PersistentState("provider", StorageNames.Broker)] IPersistentState<ProviderGrainState> state,
    [FromKeyedServices(BrokerTime.Key)] TimeProvider time) : Grain, IProviderGrain, IIncomingGrainCallFilter
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

    // Units booked over time per (partner, resource) by reservations' windows.
    private readonly Dictionary<(string Partner, string Resource), ReservedTimeline> _booked = [];

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var (key, usages) in state.State.Reservations)
        {
            Track(key, usages, +1);
        }

        foreach (var window in state.State.Windows.Values)
        {
            Book(window, +1);
        }

        return Task.CompletedTask;
    }

    public Task<bool> TryReserveContractsAsync(string partner, string reservationKey, ContractClaim[] claims) =>
        TryReserveContractsUntilAsync(partner, reservationKey, claims, DateTimeOffset.MaxValue);

    public async Task<bool> TryReserveContractsUntilAsync(string partner, string reservationKey, ContractClaim[] claims, DateTimeOffset until)
    {
        if (state.State.Reservations.ContainsKey(reservationKey))
        {
            return true;
        }

        var now = time.GetUtcNow();
        foreach (var claim in claims)
        {
            if (_used.GetValueOrDefault((partner, claim.Resource)) + BookedAhead(partner, claim.Resource, now, until) + claim.Amount > claim.MaxAmount)
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

    public Task ReleaseContractAtAsync(string requestId, string dataCenter) =>
        RemoveAsync(_keysOfRequest.TryGetValue(requestId, out var keys) ? keys.Where(key => ContractReservations.BelongsTo(key, requestId, dataCenter)).ToArray() : []);

    public Task AbandonContractAsync(string reservationKey) => RemoveAsync([reservationKey]);

    public async Task<bool> TryReserveContractWindowAsync(string partner, string windowKey, ContractClaim[] claims, DateTimeOffset start, DateTimeOffset end)
    {
        if (state.State.Windows.ContainsKey(windowKey))
        {
            return true;
        }

        foreach (var claim in claims)
        {
            if (_used.GetValueOrDefault((partner, claim.Resource)) + BookedAhead(partner, claim.Resource, start, end) + claim.Amount > claim.MaxAmount)
            {
                return false;
            }
        }

        var window = new ContractWindow(claims.Select(c => new ContractUsage(partner, c.Resource, c.Amount)).ToArray(), start, end);
        state.State.Windows[windowKey] = window;
        Book(window, +1);
        await WriteOrStepDownAsync();
        return true;
    }

    public async Task StartContractWindowAsync(string windowKey, string reservationKey)
    {
        if (!state.State.Windows.Remove(windowKey, out var window))
        {
            return;
        }

        Book(window, -1);
        state.State.Reservations[reservationKey] = window.Usages;
        Track(reservationKey, window.Usages, +1);
        await WriteOrStepDownAsync();
    }

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
            else if (state.State.Windows.Remove(key, out var window))
            {
                Book(window, -1);
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

    private void Book(ContractWindow window, int sign)
    {
        foreach (var usage in window.Usages)
        {
            if (!_booked.TryGetValue((usage.Partner, usage.Resource), out var timeline))
            {
                _booked[(usage.Partner, usage.Resource)] = timeline = new ReservedTimeline();
            }

            timeline.Add(window.Start, window.End, usage.Used, sign);
        }
    }

    private long BookedAhead(string partner, string resource, DateTimeOffset from, DateTimeOffset to) =>
        _booked.TryGetValue((partner, resource), out var timeline) ? timeline.Most(from, to) : 0;
}

[GenerateSerializer, Alias("broker.provider-grain-state")]
public sealed class ProviderGrainState
{
    /// <summary>Reservation key (request, data center and negotiation) → what it reserved from partner contracts.</summary>
    [Id(0)] public Dictionary<string, ContractUsage[]> Reservations { get; set; } = [];

    /// <summary>Window key (reservation, data center and booking) → the volume a reservation books for its window ahead.</summary>
    [Id(1)] public Dictionary<string, ContractWindow> Windows { get; set; } = [];
}

/// <summary>Contract volume booked for a reservation's window [start, end); at start it becomes the request's use.</summary>
[GenerateSerializer, Immutable, Alias("broker.contract-window")]
public sealed record ContractWindow(
    [property: Id(0)] ContractUsage[] Usages,
    [property: Id(1)] DateTimeOffset Start,
    [property: Id(2)] DateTimeOffset End);

/// <summary>
/// A request may hold parts at several partner data centers (when split): one reservation each, and one per negotiation
/// of the request — two activations of one request during a membership change must not share (and one give back) the
/// other's reservation.
/// </summary>
public static class ContractReservations
{
    public static string Key(string requestId, string dataCenter, Guid attempt) => $"{requestId}@{dataCenter}#{attempt:N}";

    /// <summary>
    /// Reserves one negotiation's parts at a partner data center from the home provider's contracts until the lease ends
    /// (idempotent per key): false when a contract's volume, with what reservations book ahead, would be exceeded.
    /// </summary>
    public static Task<bool> ReserveAsync(IGrainFactory grains, FederationView federation, string homeProvider, string requestId, string dataCenter, string partner, Guid attempt, AllocationPart[] parts, DateTimeOffset until)
    {
        var claims = parts
            .Select(p => new ContractClaim(p.Resource, p.Amount, federation.ContractFor(homeProvider, p.Provider, p.Resource)?.MaxAmount ?? 0))
            .ToArray();
        return grains.Reference<IProviderGrain>(homeProvider).TryReserveContractsUntilAsync(partner, Key(requestId, dataCenter, attempt), claims, until);
    }

    /// <summary>The request a reservation key belongs to (request ids never contain '@').</summary>
    public static string RequestOf(string key) => key[..key.IndexOf('@', StringComparison.Ordinal)];

    /// <summary>The request's reservation for its part at one data center (any negotiation of it).</summary>
    public static bool BelongsTo(string key, string requestId, string dataCenter) =>
        key.StartsWith($"{requestId}@{dataCenter}#", StringComparison.Ordinal);
}
