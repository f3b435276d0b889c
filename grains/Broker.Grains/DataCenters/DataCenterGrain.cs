using Broker.Audit;
using Broker.DataCenters;
using Broker.Directory;
using Broker.Federation;
using Broker.Grains.Audit;
using Broker.Grains.Placement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace Broker.Grains.DataCenters;

/// <summary>
/// The single owner of one data center's capacity. Allocations are written to storage before a confirm
/// answers; holds live in memory only, so a crash drops them and their capacity simply comes back.
/// Whether a hold or lease has ended is decided from the injected <see cref="TimeProvider"/>; timers only wake the grain.
/// Reentrant so that confirms arriving together share one state write (group commit); every change to the
/// capacity book happens between awaits, so interleaving never splits a decision.
/// </summary>
[Reentrant]
[ProviderAffinePlacement]
public sealed partial class DataCenterGrain(
    [PersistentState("datacenter", StorageNames.Broker)] IPersistentState<DataCenterGrainState> state,
    [FromKeyedServices(BrokerTime.Key)] TimeProvider time,
    IOptions<NegotiationOptions> negotiation,
    IOptions<DirectoryOptions> directory,
    LocalSiloProvider host,
    ProviderSilos providerSilos,
    ILocalSiloDetails silo,
    ILogger<DataCenterGrain> logger) : Grain, IDataCenterGrain
{
    private CapacityBook _book = null!;
    private GroupCommit _commit = null!;
    private IGrainTimer _holdExpiryWakeUp = null!;
    private IGrainTimer? _homeWatch;
    private long _summaryVersion;
    private bool _publishing;
    private bool _publishAgain;
    private AuditOutbox? _audit;

    private AuditOutbox Audit => _audit ??= new AuditOutbox(GrainFactory, logger, $"data center {this.GetPrimaryKeyString()}", () => state.State.AuditPending, pending => state.State.AuditPending = pending);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // The book owns a copy: writes serialize snapshots, so a reentrant turn never changes what is being written.
        _book = new CapacityBook(state.State.Registration?.Definition.Pools ?? [], new Dictionary<string, StoredAllocation>(state.State.Allocations));
        // A failed write leaves memory ahead of storage: this activation then steps down, so the next one
        // starts from what is durable (also the answer when another activation won an ETag race).
        _commit = GroupCommit.OfSnapshots(
            state,
            () =>
            {
                Audit.MarkSaved();
                return new DataCenterGrainState
                {
                    Registration = state.State.Registration,
                    Allocations = new Dictionary<string, StoredAllocation>(_book.Allocations),
                    AuditPending = state.State.AuditPending,
                };
            },
            DeactivateOnIdle);
        // Versions only order this data center's summaries; the wall clock keeps them rising across activations.
        _summaryVersion = DateTime.UtcNow.Ticks;

        // The wake-up that returns expired holds and leases to the directory, and refills restarted partitions.
        var period = directory.Value.RepublishInterval;
        this.RegisterGrainTimer(OnTimerAsync, period, period);
        _holdExpiryWakeUp = this.RegisterGrainTimer(OnTimerAsync, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        WatchForHomeIfAway();
        if (state.State.Registration is not null)
        {
            RequestPublish();
        }

        return Task.CompletedTask;
    }

    public async Task ConfigureAsync(DataCenterRegistration registration)
    {
        foreach (var pool in registration.Definition.Pools)
        {
            _book.SetPool(pool);
        }

        state.State.Registration = registration;
        await _commit.CommitAsync();
        WatchForHomeIfAway();
        RequestPublish();
    }

    public async Task<OfferResult> OfferAsync(HoldRequest request)
    {
        var registration = state.State.Registration;
        if (registration is null)
        {
            return OfferResult.Declined(DeclineReasons.NotRegistered);
        }

        var now = time.GetUtcNow();
        await PurgeAsync(now);
        var ttl = negotiation.Value.HoldTtl;
        var (hold, reason) = _book.TryHold(request, now + ttl);
        if (hold is null)
        {
            return OfferResult.Declined(reason!);
        }

        // A wake-up at the newest hold's end, so the directory learns the capacity came back even if nobody asks.
        _holdExpiryWakeUp.Change(ttl + TimeSpan.FromMilliseconds(50), Timeout.InfiniteTimeSpan);
        RequestPublish();
        var offer = new Offer
        {
            HoldId = hold.Id,
            DataCenter = registration.Definition.Id,
            Provider = registration.ProviderId,
            Held = hold.Items,
            PricesPerUnitHour = hold.Items.Select(i => _book.PriceOf(i.Resource)).ToArray(),
            UtilisationAfter = _book.UtilisationOf(hold.Items.Select(i => i.Resource)),
            RenewableShare = registration.Definition.RenewableShare,
            Location = registration.Definition.Location,
            HoldExpiresAt = hold.ExpiresAt,
        };
        return new OfferResult(offer, null);
    }

    public async Task<bool> ConfirmAsync(Guid holdId, string requestId, DateTimeOffset leaseExpiresAt)
    {
        await PurgeAsync(time.GetUtcNow());
        if (!_book.Confirm(holdId, requestId, leaseExpiresAt))
        {
            RequestPublish();
            return false;
        }

        // Durable before the answer: a confirmed allocation must survive this silo's crash. A retried
        // confirm also waits, since the first one's write may still be in flight.
        await _commit.CommitAsync();

        RequestPublish();
        return true;
    }

    public Task CancelHoldAsync(Guid holdId)
    {
        if (_book.CancelHold(holdId))
        {
            RequestPublish();
        }

        return Task.CompletedTask;
    }

    public async Task ReleaseAsync(string requestId)
    {
        if (_book.Release(requestId))
        {
            await _commit.CommitAsync();
            RequestPublish();
        }
    }

    public async Task<bool> RenewAsync(string requestId, DateTimeOffset leaseExpiresAt)
    {
        await PurgeAsync(time.GetUtcNow());
        if (!_book.Renew(requestId, leaseExpiresAt))
        {
            return false;
        }

        await _commit.CommitAsync();
        return true;
    }

    public async Task<PoolChangeResult> SetPoolAsync(PoolChange change)
    {
        var registration = state.State.Registration;
        if (registration is null)
        {
            return new PoolChangeResult(PoolChangeKind.UnknownDataCenter, null);
        }

        var result = await ChangePoolAsync(registration, change);
        await Audit.SendAsync();
        if (Audit.HasUnsavedAcknowledgements)
        {
            // Pool changes are rare: the acknowledgement is written at once.
            await _commit.CommitAsync();
        }

        return result;
    }

    /// <summary>A change is stored together with its audit event; a refusal changes nothing, and its event is stored with the next write.</summary>
    private async Task<PoolChangeResult> ChangePoolAsync(DataCenterRegistration registration, PoolChange change)
    {
        void Audited(PoolChangeKind kind, long inUse) =>
            Audit.Add(AdminAuditEvents.PoolChanged(registration.Definition.Id, registration.ProviderId, change, kind, inUse));

        await PurgeAsync(time.GetUtcNow());
        var existing = _book.Pool(change.Resource);
        var pool = (existing ?? new PoolDefinition { Resource = change.Resource }) with
        {
            Total = change.Total,
            Headroom = change.Headroom ?? existing?.Headroom ?? 0,
            PricePerUnitHour = change.PricePerUnitHour ?? existing?.PricePerUnitHour ?? 0,
        };
        var inUse = _book.InUse(change.Resource);
        if (CapacityBook.CapacityOf(pool) < inUse)
        {
            Audited(PoolChangeKind.InUse, inUse);
            return new PoolChangeResult(PoolChangeKind.InUse, existing is null ? null : _book.Summarise(existing), inUse);
        }

        _book.SetPool(pool);
        var kind = existing is null ? PoolChangeKind.Created : PoolChangeKind.Updated;
        Audited(kind, inUse);
        var pools = registration.Definition.Pools.Where(p => p.Resource != pool.Resource).Append(pool).ToArray();
        state.State.Registration = registration with { Definition = registration.Definition with { Pools = pools } };
        await _commit.CommitAsync();
        LogPoolChanged(registration.Definition.Id, pool.Resource, pool.Total, pool.Headroom);
        RequestPublish();
        return new PoolChangeResult(kind, _book.Summarise(pool));
    }

    public async Task<DataCenterSummary?> GetCapacityAsync()
    {
        await PurgeAsync(time.GetUtcNow());
        return Summarise();
    }

    private async Task OnTimerAsync(CancellationToken cancellationToken)
    {
        await PurgeAsync(time.GetUtcNow());
        RequestPublish();
        await Audit.SendAsync();
    }

    /// <summary>Only a data center running away from its owner's silos needs to look for a way home.</summary>
    private void WatchForHomeIfAway()
    {
        var owner = state.State.Registration?.ProviderId;
        if (_homeWatch is null && owner is not null && owner != host.Provider)
        {
            var every = directory.Value.HomeCheckInterval;
            _homeWatch = this.RegisterGrainTimer(GoHomeIfAwayAsync, every, every);
        }
    }

    /// <summary>
    /// Placement puts this grain on its owner's silo when one is alive at activation; after an outage (or
    /// when the owner's silo started later) it runs elsewhere. Once an owner's silo is alive again, the
    /// grain migrates there when idle: its state goes with it, holds in flight are simply re-offered.
    /// </summary>
    private Task GoHomeIfAwayAsync(CancellationToken cancellationToken)
    {
        var owner = state.State.Registration!.ProviderId;
        if (providerSilos.AnyAliveFor(owner))
        {
            LogMigratingHome(this.GetPrimaryKeyString(), owner);
            this.MigrateOnIdle();
        }

        return Task.CompletedTask;
    }

    private async Task PurgeAsync(DateTimeOffset now)
    {
        if (_book.PurgeExpired(now))
        {
            await _commit.CommitAsync();
        }
    }

    private DataCenterSummary? Summarise()
    {
        var registration = state.State.Registration;
        if (registration is null)
        {
            return null;
        }

        var definition = registration.Definition;
        return new DataCenterSummary
        {
            Id = definition.Id,
            Provider = registration.ProviderId,
            ProviderKind = registration.ProviderKind,
            Location = definition.Location,
            ProtectionLevel = definition.ProtectionLevel,
            RenewableShare = definition.RenewableShare,
            Pue = definition.Pue,
            Pools = _book.Pools.OrderBy(p => p.Resource, StringComparer.Ordinal).Select(_book.Summarise).ToArray(),
            Version = ++_summaryVersion,
            HostSilo = silo.SiloAddress.ToString(),
            HostProvider = host.Provider,
        };
    }

    /// <summary>
    /// Pushes the current summary to the directory, at most one push in flight: changes that arrive
    /// meanwhile are coalesced into one more push. Runs on the grain's scheduler, never blocks a caller.
    /// </summary>
    private void RequestPublish()
    {
        if (_publishing)
        {
            _publishAgain = true;
            return;
        }

        _publishing = true;
        _ = PublishLoopAsync();
    }

    private async Task PublishLoopAsync()
    {
        try
        {
            do
            {
                _publishAgain = false;
                var summary = Summarise();
                if (summary is not null)
                {
                    await GrainFactory.GetGrain<IDirectoryPartitionGrain>(DirectoryPartitions.Of(summary.Id)).PublishAsync(summary);
                }
            }
            while (_publishAgain);
        }
        catch (Exception error)
        {
            // The periodic republish repairs what a failed push left stale.
            LogPublishFailed(this.GetPrimaryKeyString(), error);
        }
        finally
        {
            _publishing = false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pool {Resource} of {DataCenter} set to total {Total}, headroom {Headroom}")]
    private partial void LogPoolChanged(string dataCenter, string resource, long total, long headroom);

    [LoggerMessage(Level = LogLevel.Information, Message = "Data center {DataCenter} migrates to a silo of its owner {Provider}")]
    private partial void LogMigratingHome(string dataCenter, string provider);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing the summary of {DataCenter} failed")]
    private partial void LogPublishFailed(string dataCenter, Exception error);
}

[GenerateSerializer, Alias("broker.data-center-grain-state")]
public sealed class DataCenterGrainState
{
    [Id(0)] public DataCenterRegistration? Registration { get; set; }
    [Id(1)] public Dictionary<string, StoredAllocation> Allocations { get; set; } = new(StringComparer.Ordinal);
    /// <summary>Audit events of pool changes not yet known to be in the trail (<see cref="AuditOutbox"/>).</summary>
    [Id(2)] public AuditEvent[] AuditPending { get; set; } = [];
}
