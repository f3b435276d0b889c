using Broker.DataCenters;
using Broker.Directory;
using Broker.Federation;
using Broker.Grains.Audit;
using Broker.Grains.Placement;
using Broker.Grains.Storage;
using Broker.Grains.Telemetry;
using Broker.Requests;
using Broker.Reservations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Serialization;

namespace Broker.Grains.DataCenters;

/// <summary>
/// The single owner of one data center's capacity. Allocations are written to storage before a confirm
/// answers, each as a row of its own (<see cref="DataCenterRows"/>); holds live in memory only, so a crash drops
/// them and their capacity simply comes back. Leases end by this data center's schedule, ordered by due time, with
/// one timer and one reminder as wake-ups (never one per request); whether a hold or lease has ended is decided from
/// the injected <see cref="TimeProvider"/>. Reentrant so that confirms arriving together share one write (group
/// commit); every change to the capacity book happens between awaits, so interleaving never splits a decision.
/// </summary>
[Reentrant]
[ProviderAffinePlacement]
public sealed partial class DataCenterGrain(
    IRowStore rows,
    Serializer serializer,
    [FromKeyedServices(BrokerTime.Key)] TimeProvider time,
    IOptions<NegotiationOptions> negotiation,
    IOptions<DirectoryOptions> directory,
    LocalSiloProvider host,
    ProviderSilos providerSilos,
    ILocalSiloDetails silo,
    BrokerMetrics metrics,
    ILogger<DataCenterGrain> logger) : Grain, IDataCenterGrain, IRemindable, IIncomingGrainCallFilter
{
    // The durable wake-up: after a whole-cluster restart it brings the data center back to end its leases.
    private const string ScheduleReminder = "lease-schedule";
    private static readonly TimeSpan ScheduleReminderPeriod = TimeSpan.FromMinutes(1);

    // Timers cannot wait longer than about 49 days; a far lease end is looked at again daily.
    private static readonly TimeSpan LongestWait = TimeSpan.FromDays(1);

    private DataCenterRows _rows = null!;
    private DataCenterHead _head = new();
    private CapacityBook _book = null!;
    private GroupCommit _commit = null!;
    private IGrainTimer _endWakeUp = null!;
    private DateTimeOffset? _endWakeUpAt;
    private bool _reminderArmed;
    private DateTimeOffset? _reminderAlignedTo;
    private IGrainTimer? _homeWatch;
    private long _summaryVersion;
    private bool _publishing;
    private bool _publishAgain;
    private AuditOutbox? _audit;
    private readonly FailedWrite _failedWrite = new();

    private AuditOutbox Audit => _audit ??= new AuditOutbox(GrainFactory, logger, $"data center {Id}", () => _head.AuditPending, pending => _head = _head with { AuditPending = pending });

    private string Id => this.GetPrimaryKeyString();

    private DataCenterRegistration? Registration => _head.Registration;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _rows = new DataCenterRows(rows, serializer, Id, time);
        var (head, allocations) = await _rows.LoadAsync();
        _head = head;
        _book = new CapacityBook(head.Registration?.Definition.Pools ?? [], allocations);
        if (head.Registration is not null)
        {
            // A fence: the head written once at the version just read, so that a write still on its way from an earlier
            // activation (on a silo cut off mid-confirm) fails instead of landing behind what this one answers from memory —
            // the fault run saw such a late confirm stored after its negotiation had given the contract volume back.
            await _rows.WriteAsync(_head, []);
        }

        // A failed write leaves memory ahead of storage: this activation then answers nothing more and steps down, so the
        // next one starts from what is durable (also the answer when another activation won the head's version race).
        _commit = GroupCommit.Of(() => _failedWrite.GuardAsync(
            () =>
            {
                Audit.MarkSaved();
                return _rows.WriteAsync(_head, _book.TakeChanges());
            },
            DeactivateOnIdle));

        // Versions only order this data center's summaries; the wall clock keeps them rising across activations.
        _summaryVersion = DateTime.UtcNow.Ticks;

        // The periodic wake-up: republishes (refills restarted partitions), retries lease ends not yet taken up by
        // their request, asks about allocations no request acknowledged, and stores what is pending.
        var period = directory.Value.RepublishInterval;
        this.RegisterGrainTimer(OnTimerAsync, period, period);
        _endWakeUp = this.RegisterGrainTimer(OnEndDueAsync, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        this.RegisterGrainTimer(CheckUnacknowledgedAsync, directory.Value.AcknowledgementCheckInterval, directory.Value.AcknowledgementCheckInterval);
        WatchForHomeIfAway();
        if (Registration is not null)
        {
            RequestPublish();
        }

        // Leases that ran out while nobody ran this data center end now, at their own end time.
        await EndDueAsync();
        await ArmScheduleAsync();

        // Counted last: an activation that failed before this point never held its allocations on this silo.
        _book.CountLiveIn(metrics.LiveAllocationsChanged);
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // Whether it migrates, steps down or the silo stops, its allocations are no longer live here.
        _book?.StopCounting();
        return Task.CompletedTask;
    }

    /// <summary>Every call, after a write of this activation failed, fails as that write did (<see cref="FailedWrite"/>).</summary>
    Task IIncomingGrainCallFilter.Invoke(IIncomingGrainCallContext context)
    {
        _failedWrite.ThrowIfHappened();
        return context.Invoke();
    }

    public async Task ConfigureAsync(DataCenterRegistration registration)
    {
        foreach (var pool in registration.Definition.Pools)
        {
            _book.SetPool(pool);
        }

        _head = _head with { Registration = registration };
        await _commit.CommitAsync();
        WatchForHomeIfAway();
        RequestPublish();
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => EndDueAsync();

    public Task<OfferResult> OfferAsync(HoldRequest request)
    {
        if (Registration is not { } registration)
        {
            return Task.FromResult(OfferResult.Declined(DeclineReasons.NotRegistered));
        }

        if (_head.Draining)
        {
            return Task.FromResult(OfferResult.Declined(DeclineReasons.Draining));
        }

        var now = time.GetUtcNow();
        Purge(now);
        var (hold, reason) = _book.TryHold(request, now + negotiation.Value.HoldTtl);
        if (hold is null)
        {
            return Task.FromResult(OfferResult.Declined(reason!));
        }

        // A wake-up at the hold's end, so the directory learns the capacity came back even if nobody asks.
        WakeUpBy(hold.ExpiresAt);
        RequestPublish();
        return Task.FromResult(new OfferResult(Describe(registration, hold.Id, hold.Items, hold.ExpiresAt), null));
    }

    public async Task<OfferResult> AllocateAsync(HoldRequest request, DateTimeOffset leaseExpiresAt)
    {
        if (Registration is not { } registration)
        {
            return OfferResult.Declined(DeclineReasons.NotRegistered);
        }

        if (_head.Draining)
        {
            return OfferResult.Declined(DeclineReasons.Draining);
        }

        Purge(time.GetUtcNow());
        var (allocation, reason) = _book.TryAllocate(request, leaseExpiresAt);
        if (allocation is null)
        {
            return OfferResult.Declined(reason!);
        }

        // Durable before the answer, as a confirm; a retry of the same request waits for the first one's write too.
        await _commit.CommitAsync();
        WakeUpBy(allocation.LeaseExpiresAt);
        RequestPublish();
        return new OfferResult(Describe(registration, Guid.Empty, allocation.Items, allocation.LeaseExpiresAt), null);
    }

    public async Task<bool> ConfirmAsync(Guid holdId, string requestId, Guid attempt, DateTimeOffset leaseExpiresAt)
    {
        Purge(time.GetUtcNow());
        if (RefusedWhileDraining(holdId, requestId, attempt) || !_book.Confirm(holdId, requestId, attempt, leaseExpiresAt))
        {
            RequestPublish();
            return false;
        }

        // Durable before the answer: a confirmed allocation must survive this silo's crash. A retried
        // confirm also waits, since the first one's write may still be in flight.
        await _commit.CommitAsync();
        WakeUpBy(leaseExpiresAt);
        RequestPublish();
        return true;
    }

    public Task AcknowledgeAsync(string requestId)
    {
        _book.Acknowledge(requestId);
        return Task.CompletedTask;
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
        else
        {
            // "Nothing to release" from a stale memory would leave the true activation holding the allocation.
            await StepDownIfOvertakenAsync();
        }
    }

    public async Task AbandonAsync(string requestId, Guid attempt)
    {
        if (_book.Abandon(requestId, attempt))
        {
            await _commit.CommitAsync();
            RequestPublish();
        }
        else
        {
            // "Nothing to abandon" lets the negotiation give its contract volume back: not from a memory another activation moved past.
            await StepDownIfOvertakenAsync();
        }
    }

    public async Task<bool> RenewAsync(string requestId, DateTimeOffset leaseExpiresAt) =>
        await ExtendLeaseAsync(requestId, leaseExpiresAt) == LeaseExtension.Extended;

    public async Task<LeaseExtension> ExtendLeaseAsync(string requestId, DateTimeOffset leaseExpiresAt)
    {
        Purge(time.GetUtcNow());
        var answer = _book.TryExtend(requestId, leaseExpiresAt);
        if (answer == LeaseExtension.NotHeld)
        {
            // "Not held here" ends the request: it must not come from the memory of an activation the cluster moved past
            // (the fault run saw a request expire 0.1 s after its allocation, told so by a cut-off silo's old activation).
            await StepDownIfOvertakenAsync();
            return answer;
        }

        if (answer == LeaseExtension.Extended)
        {
            await _commit.CommitAsync();
            WakeUpBy(leaseExpiresAt);
        }

        return answer;
    }

    private Offer Describe(DataCenterRegistration registration, Guid holdId, RequestItem[] items, DateTimeOffset expiresAt) => new()
    {
        HoldId = holdId,
        DataCenter = registration.Definition.Id,
        Provider = registration.ProviderId,
        Held = items,
        PricesPerUnitHour = items.Select(i => _book.PriceOf(i.Resource)).ToArray(),
        UtilisationAfter = _book.UtilisationOf(items.Select(i => i.Resource)),
        RenewableShare = registration.Definition.RenewableShare,
        Location = registration.Definition.Location,
        HoldExpiresAt = expiresAt,
    };

    public async Task<PoolChangeResult> SetPoolAsync(PoolChange change)
    {
        if (Registration is not { } registration)
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

        Purge(time.GetUtcNow());
        var existing = _book.Pool(change.Resource);
        var pool = (existing ?? new PoolDefinition { Resource = change.Resource }) with
        {
            Total = change.Total,
            Headroom = change.Headroom ?? existing?.Headroom ?? 0,
            PricePerUnitHour = change.PricePerUnitHour ?? existing?.PricePerUnitHour ?? 0,
        };
        var inUse = _book.PromisedAtMost(change.Resource);
        if (CapacityBook.CapacityOf(pool) < inUse)
        {
            Audited(PoolChangeKind.InUse, inUse);
            return new PoolChangeResult(PoolChangeKind.InUse, existing is null ? null : _book.Summarise(existing), inUse);
        }

        _book.SetPool(pool);
        var kind = existing is null ? PoolChangeKind.Created : PoolChangeKind.Updated;
        Audited(kind, inUse);
        var pools = registration.Definition.Pools.Where(p => p.Resource != pool.Resource).Append(pool).ToArray();
        _head = _head with { Registration = registration with { Definition = registration.Definition with { Pools = pools } } };
        await _commit.CommitAsync();
        LogPoolChanged(registration.Definition.Id, pool.Resource, pool.Total, pool.Headroom);
        RequestPublish();
        return new PoolChangeResult(kind, _book.Summarise(pool));
    }

    public Task<DataCenterSummary?> GetCapacityAsync()
    {
        Purge(time.GetUtcNow());
        return Task.FromResult(Summarise());
    }

    private async Task OnTimerAsync(CancellationToken cancellationToken)
    {
        if (_failedWrite.Happened || await OvertakenAsync() is not null)
        {
            // An old activation on a silo that was cut off: it neither tells lease ends nor publishes its stale summary.
            return;
        }

        // Ends not yet taken up by their request are told again; those ending in this tick are told by the purge.
        NotifyEnded(_book.Ended.Keys.ToArray());
        Purge(time.GetUtcNow());
        RequestPublish();
        await Audit.SendAsync();
    }

    private Task OnEndDueAsync(CancellationToken cancellationToken)
    {
        _endWakeUpAt = null;
        return _failedWrite.Happened ? Task.CompletedTask : EndDueAsync();
    }

    /// <summary>Ends what is due and tells each request whose lease ran out; the timer is armed for the next end.</summary>
    private Task EndDueAsync()
    {
        Purge(time.GetUtcNow());
        if (_book.NextEnd is { } next)
        {
            WakeUpBy(next);
        }

        return Task.CompletedTask;
    }

    /// <summary>Holds and leases that are due end; the requests whose lease ended hear of it.</summary>
    private void Purge(DateTimeOffset now)
    {
        var ended = _book.PurgeExpired(now);
        if (ended.Count > 0)
        {
            LogLeasesEnded(Id, ended.Count);
            NotifyEnded(ended);
            RequestPublish();
        }

        NotifyStarted();
    }

    /// <summary>
    /// One-way: each request records its end (expired, charged) and then releases its row here. A request that does not
    /// (its silo died) is told again by the periodic timer, so an end is never lost, only late to be recorded. Told only
    /// by an activation that is not overtaken: an old one's lease ends may have been renewed at the true one since.
    /// </summary>
    private void NotifyEnded(IReadOnlyCollection<string> requests)
    {
        if (requests.Count > 0)
        {
            _ = NotifyEndedAsync(requests);
        }
    }

    private async Task NotifyEndedAsync(IReadOnlyCollection<string> requests)
    {
        try
        {
            if (await OvertakenAsync(evenIfFresh: true) is not null)
            {
                return;
            }
        }
        catch (Exception error) when (error is TimeoutException or OrleansException or System.Data.Common.DbException)
        {
            // Storage out of reach: the periodic timer tells these ends again.
            return;
        }

        foreach (var requestId in requests)
        {
            if (_book.UnrecordedReservationOf(requestId) is { } reservation)
            {
                // Its request does not exist yet: the reservation records it (allocated from the window's start), which
                // acknowledges the row; the next telling of the end then reaches that request. Told to the request now,
                // the row would be given back and the reservation never become anything (it stayed confirmed for good).
                GrainFactory.Reference<IReservationGrain>(reservation).StartedAsync(Id).Ignore();
            }
            else
            {
                GrainFactory.Reference<IRequestGrain>(requestId).LeaseEndedAsync(Id).Ignore();
            }
        }
    }

    /// <summary>
    /// The conflict when another activation of this data center has written since this one last did (this one runs on a
    /// silo that was cut off or paused): this one then steps down. Null while it is the true activation.
    /// </summary>
    private async Task<RowConflictException?> OvertakenAsync(bool evenIfFresh = false)
    {
        var conflict = await _rows.OvertakenAsync(evenIfFresh);
        if (conflict is not null)
        {
            LogOvertaken(Id);
            DeactivateOnIdle();
        }

        return conflict;
    }

    /// <summary>Answers a caller with the conflict (503, its retry reaches the true activation) when this activation is overtaken.</summary>
    private async Task StepDownIfOvertakenAsync()
    {
        if (await OvertakenAsync(evenIfFresh: true) is { } conflict)
        {
            throw conflict;
        }
    }

    /// <summary>Moves the end timer earlier when something ends before it would fire; never later (it re-arms when it fires).</summary>
    private void WakeUpBy(DateTimeOffset due)
    {
        if (_endWakeUpAt is { } armed && armed <= due)
        {
            return;
        }

        var wait = due - time.GetUtcNow() + TimeSpan.FromMilliseconds(20);
        wait = wait < TimeSpan.FromMilliseconds(20) ? TimeSpan.FromMilliseconds(20) : wait > LongestWait ? LongestWait : wait;
        _endWakeUpAt = due;
        _endWakeUp.Change(wait, Timeout.InfiniteTimeSpan);
    }

    /// <summary>
    /// One reminder per data center, registered once per activation while it holds allocations or bookings — and, while
    /// a reservation's start is at most a day ahead, registered again so that its ticks fall on the earliest start. So
    /// after a whole-cluster restart that ended before a start, the data center wakes at that start, not up to a period
    /// later (a window shorter than the period could otherwise have ended before anyone ran its data center).
    /// </summary>
    private async Task ArmScheduleAsync()
    {
        var now = time.GetUtcNow();
        var start = _book.NextStart();
        var alignTo = start is { } s && s > now && s - now <= LongestWait ? start : null;
        if ((_reminderArmed && alignTo == _reminderAlignedTo) || (alignTo is null && (_reminderArmed
            || (_book.Allocations.Count == 0 && _book.Ended.Count == 0 && _book.ReservedCount == 0))))
        {
            return;
        }

        // The reminder service runs on the wall clock: the wait is the broker clock's, the nearest a reminder can be set.
        await this.RegisterOrUpdateReminder(ScheduleReminder, alignTo is { } due ? due - now : ScheduleReminderPeriod, ScheduleReminderPeriod);
        _reminderArmed = true;
        _reminderAlignedTo = alignTo;
    }

    /// <summary>
    /// Allocations whose request never acknowledged them within a round — its grain may have died between this
    /// confirm and its own decision — are asked about: kept if the request decided on them, released if it did not.
    /// Also stores acknowledgements that no confirm has written since.
    /// </summary>
    private async Task CheckUnacknowledgedAsync(CancellationToken cancellationToken)
    {
        if (_failedWrite.Happened)
        {
            return;
        }

        await ArmScheduleAsync();
        foreach (var (requestId, round) in _book.NextCheckRound())
        {
            AllocationClaim claim;
            try
            {
                claim = await ClaimOfAsync(requestId);
            }
            catch (Exception error) when (error is TimeoutException or OrleansException)
            {
                continue;
            }

            if (claim == AllocationClaim.Wanted)
            {
                _book.Acknowledge(requestId);
            }
            else if (claim == AllocationClaim.NotWanted && _book.ReleaseUnwanted(requestId, round))
            {
                LogOrphanReleased(Id, requestId);
                RequestPublish();
            }
        }

        if (_book.HasChanges)
        {
            await _commit.CommitAsync();
        }
    }

    /// <summary>Only a data center running away from its owner's silos needs to look for a way home.</summary>
    private void WatchForHomeIfAway()
    {
        var owner = Registration?.ProviderId;
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
        var owner = Registration!.ProviderId;
        if (providerSilos.AnyAliveFor(owner))
        {
            LogMigratingHome(Id, owner);
            this.MigrateOnIdle();
        }

        return Task.CompletedTask;
    }

    private DataCenterSummary? Summarise()
    {
        if (Registration is not { } registration)
        {
            return null;
        }

        var pools = _book.Pools.OrderBy(p => p.Resource, StringComparer.Ordinal).Select(_book.Summarise).ToArray();
        return DataCenterSummary.Of(registration.ProviderId, registration.ProviderKind, registration.Definition, pools, ++_summaryVersion) with
        {
            HostSilo = silo.SiloAddress.ToString(),
            HostProvider = host.Provider,
            Draining = _head.Draining,
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
            while (true)
            {
                _publishAgain = false;
                var summary = Summarise();
                if (summary is not null)
                {
                    await GrainFactory.Reference<IDirectoryPartitionGrain>(DirectoryPartitions.Of(summary.Id)).PublishAsync(summary);
                }

                if (!_publishAgain)
                {
                    break;
                }

                // Under load every decision changes the summary; silos pull only every refresh interval, so one push
                // per half interval carries all that they could see, instead of one push per decision.
                await Task.Delay(directory.Value.RefreshInterval / 2);
            }
        }
        catch (Exception error)
        {
            // The periodic republish repairs what a failed push left stale.
            LogPublishFailed(Id, error);
        }
        finally
        {
            _publishing = false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pool {Resource} of {DataCenter} set to total {Total}, headroom {Headroom}")]
    private partial void LogPoolChanged(string dataCenter, string resource, long total, long headroom);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Data center {DataCenter}: another activation has written since this one; it steps down")]
    private partial void LogOvertaken(string dataCenter);

    [LoggerMessage(Level = LogLevel.Information, Message = "Data center {DataCenter} migrates to a silo of its owner {Provider}")]
    private partial void LogMigratingHome(string dataCenter, string provider);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing the summary of {DataCenter} failed")]
    private partial void LogPublishFailed(string dataCenter, Exception error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Count} leases ended at {DataCenter}")]
    private partial void LogLeasesEnded(string dataCenter, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{DataCenter} released the allocation of request {RequestId}, which never decided on it (its negotiation was interrupted)")]
    private partial void LogOrphanReleased(string dataCenter, string requestId);
}
