using Broker.Audit;
using Broker.DataCenters;
using Broker.Domain;
using Broker.Grains.Audit;
using Broker.Grains.Federation;
using Broker.Grains.Ledger;
using Broker.Grains.Negotiation;
using Broker.Ledger;
using Broker.Requests;
using Broker.Tenants;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Broker.Grains.Requests;

/// <summary>
/// Owns one request from submission to its end. Every transition is persisted before anything acts on
/// it; side effects after an end (capacity back, charges) are idempotent and redone on activation until
/// recorded as settled. Lease ends are decided from the injected <see cref="TimeProvider"/>; the reminder only wakes the grain.
/// Each decision, renewal and end is stored with its audit event and put in the trail before the caller hears of it.
/// </summary>
public sealed partial class RequestGrain(
    [PersistentState("request", StorageNames.Broker)] IPersistentState<RequestRecord> state,
    Negotiator negotiator,
    IOptions<NegotiationOptions> options,
    FederationRegistry federation,
    [FromKeyedServices(BrokerTime.Key)] TimeProvider time,
    ILogger<RequestGrain> logger) : Grain, IRequestGrain, IRemindable
{
    private const string LeaseReminder = "lease";

    // Reminders cannot be due further out than the runtime's timers allow; a long lease is re-armed daily.
    private static readonly TimeSpan LongestReminderWait = TimeSpan.FromDays(1);

    private IGrainReminder? _leaseReminder;

    private readonly TaskCompletionSource _decided = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _negotiating;

    private AuditOutbox? _audit;

    private RequestRecord Record => state.State;

    private AuditOutbox Audit => _audit ??= new AuditOutbox(GrainFactory, logger, $"request {Id}", () => Record.AuditPending, pending => Record.AuditPending = pending);

    private string Id => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await Audit.SendAsync();
        if (Record.State == RequestState.Negotiating)
        {
            // A silo died mid-negotiation: its holds expire by themselves, the negotiation starts again.
            this.AsReference<IRequestGrain>().NegotiateAsync().Ignore();
        }
        else if (Record.IsDecided)
        {
            _decided.TrySetResult();
            if (Record.State is RequestState.Released or RequestState.Expired && !Record.Settled)
            {
                await SettleAsync();
            }
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (Audit.HasUnsavedAcknowledgements)
        {
            // Best effort: without it, a later activation sends the events again and the chain may record them twice.
            await SaveAsync();
        }
    }

    public async Task<SubmitOutcome> SubmitAsync(SubmitCommand command)
    {
        if (Record.State != RequestState.None)
        {
            var same = Record.Tenant == command.Tenant && Record.Fingerprint == command.Spec.CanonicalForm();
            return same
                ? new SubmitOutcome(SubmitKind.Existing, await CurrentAsync())
                : new SubmitOutcome(SubmitKind.Conflict, null);
        }

        if (!await Gate(command.Tenant).TryEnterAsync(Id, options.Value.MaxInFlightPerTenant))
        {
            return new SubmitOutcome(SubmitKind.Throttled, null);
        }

        Record.State = RequestState.Negotiating;
        Record.Tenant = command.Tenant;
        Record.HomeProvider = command.HomeProvider;
        Record.SubmittedBy = command.By;
        Record.Spec = command.Spec;
        Record.Fingerprint = command.Spec.CanonicalForm();
        Record.CreatedAt = time.GetUtcNow();
        if (QuotasFor(command) is { } quotas)
        {
            if (!await Quota(command.Tenant).TryReserveAsync(Id, command.Spec.Items, quotas))
            {
                await DecideAsync(new NegotiationOutcome(null, new Rejection(RejectionCode.QuotaExceeded, QuotaDetail(command.Spec, quotas)), [], default));
                return new SubmitOutcome(SubmitKind.Accepted, Record.ToSnapshot(Id));
            }

            Record.QuotaHeld = true;
        }

        await SaveAsync();
        await TrackAsync();

        // One-way to itself: the negotiation runs as the grain's next turn, after this answer is sent.
        this.AsReference<IRequestGrain>().NegotiateAsync().Ignore();
        return new SubmitOutcome(SubmitKind.Accepted, Record.ToSnapshot(Id));
    }

    public async Task NegotiateAsync()
    {
        if (Record.State != RequestState.Negotiating || _negotiating)
        {
            return;
        }

        _negotiating = true;
        NegotiationOutcome outcome;
        try
        {
            outcome = await RecoverAsync() ?? await negotiator.NegotiateAsync(Id, Record.HomeProvider, Record.Spec!, RecordIntentAsync);
        }
        catch (Exception error)
        {
            LogNegotiationFailed(Id, error);
            await GiveUpAsync(error);
            return;
        }
        finally
        {
            _negotiating = false;
        }

        await DecideAsync(outcome);
    }

    public async Task<RequestSnapshot?> WaitForDecisionAsync(TimeSpan budget)
    {
        if (Record.State == RequestState.None)
        {
            return null;
        }

        try
        {
            await _decided.Task.WaitAsync(budget);
        }
        catch (TimeoutException)
        {
            // Still negotiating: the caller answers 202 and the client polls.
        }

        return Record.ToSnapshot(Id);
    }

    public Task<RequestSnapshot?> GetAsync() => CurrentAsync();

    public async Task<RequestSnapshot?> ReleaseAsync(AuditActor by)
    {
        await CatchUpAsync();
        if (Record.State == RequestState.Allocated)
        {
            await EndAsync(RequestState.Released, time.GetUtcNow(), by);
        }

        return Record.State == RequestState.None ? null : Record.ToSnapshot(Id);
    }

    public async Task<RenewOutcome> RenewAsync(TimeSpan lease, AuditActor by)
    {
        await CatchUpAsync();
        if (Record.State == RequestState.None)
        {
            return new RenewOutcome(RenewKind.NotFound, null);
        }

        if (Record.State != RequestState.Allocated)
        {
            return new RenewOutcome(RenewKind.NotAllocated, Record.ToSnapshot(Id));
        }

        var leaseExpiresAt = time.GetUtcNow() + lease;
        var renewed = await Task.WhenAll(DataCentersOfAllocation().Select(dc => GrainFactory.GetGrain<IDataCenterGrain>(dc).RenewAsync(Id, leaseExpiresAt)));
        if (renewed.Contains(false))
        {
            // A data center no longer holds it: the lease ended there first. Settle it as expired.
            await EndAsync(RequestState.Expired, Record.LeaseExpiresAt!.Value, AuditActor.Broker);
            return new RenewOutcome(RenewKind.NotAllocated, Record.ToSnapshot(Id));
        }

        Record.LeaseExpiresAt = leaseExpiresAt;
        Audit.Add(RequestAuditEvents.Renewed(Id, Record, by));
        await SaveAsync();
        await ArmLeaseReminderAsync();
        await Audit.SendAsync();
        return new RenewOutcome(RenewKind.Renewed, Record.ToSnapshot(Id));
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        await CatchUpAsync();
        if (Record.State == RequestState.Allocated)
        {
            await ArmLeaseReminderAsync();
        }
        else
        {
            await DisarmLeaseReminderAsync();
        }
    }

    private async Task<RequestSnapshot?> CurrentAsync()
    {
        await CatchUpAsync();
        return Record.State == RequestState.None ? null : Record.ToSnapshot(Id);
    }

    private async Task RecordIntentAsync(PendingConfirm confirm)
    {
        Record.Pending = [.. Record.Pending, confirm];
        await SaveAsync();
    }

    /// <summary>
    /// After a crash mid-negotiation: asks the data centers of the intent log again. Their confirms are
    /// idempotent, so those that did confirm say yes. A complete set becomes the decision; anything less is
    /// released and the negotiation starts over. Null when there is nothing to recover.
    /// </summary>
    private async Task<NegotiationOutcome?> RecoverAsync()
    {
        if (Record.Pending.Length == 0)
        {
            return null;
        }

        var pending = Record.Pending;
        var confirmed = new List<PendingConfirm>();
        foreach (var confirm in pending)
        {
            if (await GrainFactory.GetGrain<IDataCenterGrain>(confirm.DataCenter).ConfirmAsync(confirm.HoldId, Id, confirm.LeaseExpiresAt))
            {
                confirmed.Add(confirm);
            }
        }

        var parts = confirmed.SelectMany(c => c.Parts).ToArray();
        var complete = Record.Spec!.Items.All(item => parts.Where(p => p.Resource == item.Resource).Sum(p => p.Amount) == item.Amount)
            && parts.Length > 0 && (Record.Spec.Splittable || confirmed.Count == 1);
        if (complete)
        {
            LogRecovered(Id, confirmed.Count);
            var trace = confirmed.Select(c => new TraceEntry(c.DataCenter, c.Provider, TraceOutcome.Won, "recovered after a silo failure", null)).ToArray();
            return new NegotiationOutcome(
                new Allocation { Tier = confirmed.Max(c => c.Tier), Provider = confirmed[0].Provider, Parts = parts },
                null,
                trace,
                confirmed[0].LeaseExpiresAt);
        }

        await ReleasePendingAsync();
        Record.Pending = [];
        await SaveAsync();
        return null;
    }

    // Releasing where nothing was confirmed is a no-op; the log cannot tell which confirms went through.
    private Task ReleasePendingAsync() =>
        CapacityReturn.ReleaseAsync(GrainFactory, Id, Record.HomeProvider, Record.Pending.SelectMany(p => p.Parts).ToArray());

    private async Task DecideAsync(NegotiationOutcome outcome)
    {
        if (outcome.Allocation is null)
        {
            await ReleaseQuotaAsync();
        }

        Record.Pending = [];
        Record.Trace = outcome.Trace;
        Record.DecidedAt = time.GetUtcNow();
        if (outcome.Allocation is { } allocation)
        {
            Record.State = RequestState.Allocated;
            Record.Allocation = allocation;
            Record.LeaseExpiresAt = outcome.LeaseExpiresAt;
        }
        else
        {
            Record.State = RequestState.Rejected;
            Record.Reason = outcome.Rejection;
        }

        Audit.Add(RequestAuditEvents.Decided(Id, Record));
        await SaveAsync();
        if (Record.State == RequestState.Allocated)
        {
            await ArmLeaseReminderAsync();
        }

        await TrackAsync();
        await Audit.SendAsync();
        _decided.TrySetResult();
        await LeaveGateAsync();
    }

    /// <summary>
    /// A fault (not an expected outcome) broke the negotiation: whatever the intent log says may have been
    /// confirmed is released, so the request ends rejected with nothing allocated.
    /// </summary>
    private async Task GiveUpAsync(Exception error)
    {
        await ReleasePendingAsync();
        await ReleaseQuotaAsync();
        Record.Pending = [];
        Record.State = RequestState.Rejected;
        Record.Reason = new Rejection(RejectionCode.NoCapacity, $"the negotiation failed: {error.GetType().Name}");
        Record.DecidedAt = time.GetUtcNow();
        Audit.Add(RequestAuditEvents.Decided(Id, Record));
        await SaveAsync();
        await Audit.SendAsync();
        _decided.TrySetResult();
        await TrackAsync();
        await LeaveGateAsync();
    }

    private ITenantQuotaGrain Quota(string tenant) => GrainFactory.GetGrain<ITenantQuotaGrain>(tenant);

    /// <summary>The tenant's quotas that concern this request's classes, or null when none does (no quota call then).</summary>
    private IReadOnlyDictionary<string, long>? QuotasFor(SubmitCommand command) =>
        federation.Current.Tenants.TryGetValue(command.Tenant, out var tenant)
        && command.Spec.Items.Any(i => tenant.Quotas.ContainsKey(i.Resource))
            ? tenant.Quotas
            : null;

    private static string QuotaDetail(RequestSpec spec, IReadOnlyDictionary<string, long> quotas) =>
        "the tenant's quota would be exceeded: " + string.Join(", ", spec.Items.Where(i => quotas.ContainsKey(i.Resource))
            .Select(i => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{i.Resource} at most {quotas[i.Resource]} held at once")));

    /// <summary>Gives the request's quota reservation back (idempotent); the flag is persisted with the next write.</summary>
    private async Task ReleaseQuotaAsync()
    {
        if (Record.QuotaHeld)
        {
            await Quota(Record.Tenant).ReleaseAsync(Id);
            Record.QuotaHeld = false;
        }
    }

    private INegotiationGateGrain Gate(string tenant) => GrainFactory.GetGrain<INegotiationGateGrain>(tenant);

    // Best effort: an entry that is not left is forgotten by the gate after a few minutes.
    private async Task LeaveGateAsync()
    {
        try
        {
            await Gate(Record.Tenant).LeaveAsync(Id);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            LogGateLeaveFailed(Id, error);
        }
    }

    /// <summary>
    /// Brings the request up to date before any call acts on it: a lease that ran out ends now, and an end whose
    /// settling failed part-way (a data center or a ledger unreachable) is settled again — so a client's retry
    /// of a release finishes the job instead of leaving capacity held until the grain is next activated.
    /// </summary>
    private async Task CatchUpAsync()
    {
        await Audit.SendAsync();
        if (Record.State == RequestState.Allocated && time.GetUtcNow() >= Record.LeaseExpiresAt)
        {
            await EndAsync(RequestState.Expired, Record.LeaseExpiresAt!.Value, AuditActor.Broker);
        }
        else if (Record.State is RequestState.Released or RequestState.Expired && !Record.Settled)
        {
            await SettleAsync();
            await TrackAsync();
        }
    }

    private async Task EndAsync(RequestState end, DateTimeOffset endedAt, AuditActor by)
    {
        Record.State = end;
        Record.EndedAt = endedAt;
        Record.Settled = false;
        Audit.Add(RequestAuditEvents.Ended(Id, Record, by));
        await SaveAsync();
        await Audit.SendAsync();
        await SettleAsync();
        await DisarmLeaseReminderAsync();
        await TrackAsync();
    }

    /// <summary>Gives the capacity back and posts the charges; every step is idempotent.</summary>
    private async Task SettleAsync()
    {
        var allocation = Record.Allocation!;
        await CapacityReturn.ReleaseAsync(GrainFactory, Id, Record.HomeProvider, allocation.Parts);

        var entries = UsageCharges.For(Id, Record.Tenant, Record.HomeProvider, allocation, Record.DecidedAt!.Value, Record.EndedAt!.Value);
        await Task.WhenAll(UsageCharges.ByLedger(entries).Select(l => GrainFactory.GetGrain<ILedgerGrain>(l.LedgerKey).PostAsync(l.Entries)));
        await ReleaseQuotaAsync();
        Record.Settled = true;
        await SaveAsync();
        LogEnded(Id, Record.State, entries.Count);
    }

    private async Task SaveAsync()
    {
        Audit.MarkSaved();
        await state.WriteStateAsync();
    }

    private IEnumerable<string> DataCentersOfAllocation() =>
        Record.Allocation?.Parts.Select(p => p.DataCenter).Distinct(StringComparer.Ordinal) ?? [];

    /// <summary>
    /// Keeps the tenant's index in step. The index only serves listings: a failure here is logged and
    /// must not undo a decision; the next transition tracks the request again.
    /// </summary>
    private async Task TrackAsync()
    {
        try
        {
            await GrainFactory.GetGrain<ITenantGrain>(TenantIndex.Key(Record.Tenant, Id)).TrackAsync(new TrackedRequest(Id, Record.CreatedAt, Record.State));
        }
        catch (Exception error) when (error is OrleansException or TimeoutException)
        {
            LogTrackingFailed(Id, error);
        }
    }

    private async Task ArmLeaseReminderAsync()
    {
        var remaining = Record.LeaseExpiresAt!.Value - time.GetUtcNow();
        var due = remaining < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : remaining > LongestReminderWait ? LongestReminderWait : remaining;
        _leaseReminder = await this.RegisterOrUpdateReminder(LeaseReminder, due, LongestReminderWait);
    }

    private async Task DisarmLeaseReminderAsync()
    {
        // The handle from arming it saves a read of the reminder table; a new activation has to look it up.
        var reminder = _leaseReminder ?? await this.GetReminder(LeaseReminder);
        if (reminder is not null)
        {
            await this.UnregisterReminder(reminder);
            _leaseReminder = null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId} could not leave its tenant's negotiation gate")]
    private partial void LogGateLeaveFailed(string requestId, Exception error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Negotiation of request {RequestId} failed")]
    private partial void LogNegotiationFailed(string requestId, Exception error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {RequestId} recovered its allocation from {Confirms} confirms of an interrupted negotiation")]
    private partial void LogRecovered(string requestId, int confirms);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The tenant index could not record request {RequestId}")]
    private partial void LogTrackingFailed(string requestId, Exception error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Request {RequestId} ended as {State}; {Entries} ledger entries posted")]
    private partial void LogEnded(string requestId, RequestState state, int entries);
}
