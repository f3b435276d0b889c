using System.Diagnostics;
using Broker.Audit;
using Broker.DataCenters;
using Broker.Domain;
using Broker.Grains.Audit;
using Broker.Grains.Federation;
using Broker.Grains.Ledger;
using Broker.Grains.Negotiation;
using Broker.Grains.Providers;
using Broker.Grains.Storage;
using Broker.Grains.Telemetry;
using Broker.Grains.Tenants;
using Broker.Ledger;
using Broker.Requests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Serialization;

namespace Broker.Grains.Requests;

/// <summary>
/// Owns one request from submission to its end. A caller only ever sees what is stored: the decision (with the
/// request's index line) and the end (with its charges) are each one atomic commit, and the answer waits for it; a
/// failed write makes the activation step down, so memory is never ahead of storage for anyone to read.
/// Leases end by the data centers' schedules, which tell the request (no reminder per request); a read also ends
/// a lease that has run out by the injected <see cref="TimeProvider"/>.
/// Each decision, renewal and end is stored with its audit event and put in the trail before the caller hears of it.
/// </summary>
public sealed partial class RequestGrain(
    IRowStore rows,
    Serializer serializer,
    Negotiator negotiator,
    NegotiationGate gate,
    IOptions<NegotiationOptions> options,
    FederationRegistry federation,
    [FromKeyedServices(BrokerTime.Key)] TimeProvider time,
    BrokerMetrics metrics,
    ILogger<RequestGrain> logger) : Grain, IRequestGrain, IIncomingGrainCallFilter
{
    private readonly TaskCompletionSource _decided = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private RequestRows _rows = null!;
    private GroupCommit _commit = null!;
    private RequestRecord _record = new();

    // What storage holds, as callers see it; null while nothing is stored.
    private RequestSnapshot? _saved;

    // Charges to store with the next write (the end that produced them is stored in the same commit).
    private IReadOnlyList<LedgerEntry> _charges = [];
    private Task? _negotiation;
    private Exception? _fault;
    private readonly FailedWrite _failedWrite = new();

    // Settled in memory, not yet stored (see SettleIfEndedAsync).
    private bool _settledUnsaved;

    // When this activation took the submission (a Stopwatch timestamp: wall time, whatever the broker's clock does).
    // None for a negotiation resumed after a crash: its submission was timed by an activation that is gone.
    private long? _submittedAt;
    private AuditOutbox? _audit;

    private AuditOutbox Audit => _audit ??= new AuditOutbox(GrainFactory, logger, $"request {Id}", () => _record.AuditPending, pending => _record.AuditPending = pending);

    private string Id => this.GetPrimaryKeyString();

    private bool Negotiating => _negotiation is { IsCompleted: false };

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _rows = new RequestRows(rows, serializer, Id, time);
        _commit = GroupCommit.Of(WriteAsync);
        if (await _rows.LoadAsync() is { } stored)
        {
            _record = stored;
            _saved = stored.ToSnapshot(Id);
        }

        await Audit.SendAsync();
        if (_record.State == RequestState.Negotiating)
        {
            // Its last activation died mid-negotiation: its holds expire by themselves, its confirms are found again.
            StartNegotiation(enteredGate: false);
        }
        else if (_record.IsDecided)
        {
            _decided.TrySetResult();
            await SettleIfEndedAsync();
            await AbandonInterruptedMoveAsync();
        }
    }

    /// <summary>
    /// Every call, after a write of this activation failed, fails as that write did (<see cref="FailedWrite"/>): a retried
    /// release must not give back what the stored request still holds, nor a data center's question be answered from a
    /// record that was never stored.
    /// </summary>
    Task IIncomingGrainCallFilter.Invoke(IIncomingGrainCallContext context)
    {
        _failedWrite.ThrowIfHappened();
        return context.Invoke();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if ((Audit.HasUnsavedAcknowledgements || _settledUnsaved) && _saved is not null && !Negotiating && _fault is null && !_failedWrite.Happened)
        {
            // Best effort: without it, a later activation settles again and sends the events again (the chain may
            // record them twice).
            await _commit.CommitAsync();
        }
    }

    public async Task<SubmitOutcome> SubmitAsync(SubmitCommand command, TimeSpan waitBudget)
    {
        if (_record.State != RequestState.None)
        {
            var same = _record.Tenant == command.Tenant && _record.Spec!.CanonicalForm() == command.Spec.CanonicalForm();
            return same
                ? new SubmitOutcome(SubmitKind.Existing, await CurrentAsync())
                : new SubmitOutcome(SubmitKind.Conflict, null);
        }

        if (!gate.TryEnter(command.Tenant, options.Value.MaxInFlightPerTenant))
        {
            return new SubmitOutcome(SubmitKind.Throttled, null);
        }

        _submittedAt = Stopwatch.GetTimestamp();

        _record = new RequestRecord
        {
            State = RequestState.Negotiating,
            Tenant = command.Tenant,
            HomeProvider = command.HomeProvider,
            SubmittedBy = command.By,
            Spec = command.Spec,
            CreatedAt = time.GetUtcNow(),
        };
        StartNegotiation(enteredGate: true);
        if (waitBudget > TimeSpan.Zero)
        {
            try
            {
                await _decided.Task.WaitAsync(waitBudget);
            }
            catch (TimeoutException)
            {
                // Still negotiating: recorded below, the caller answers 202 and the client polls.
            }
        }

        if (_fault is { } fault)
        {
            // Nothing was decided or stored: the caller sees the fault (503 when the cluster or database is out of reach).
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(fault);
        }

        if (_saved is null || _saved.State == RequestState.Negotiating)
        {
            // A 202 promises a request the client can poll: it is stored before the answer.
            await _commit.CommitAsync();
        }

        return new SubmitOutcome(SubmitKind.Accepted, _saved);
    }

    public async Task<RequestSnapshot?> WaitForDecisionAsync(TimeSpan budget)
    {
        if (_saved is { State: not RequestState.Negotiating } || (_saved is null && !Negotiating))
        {
            return _saved;
        }

        try
        {
            await _decided.Task.WaitAsync(budget);
        }
        catch (TimeoutException)
        {
            // Still negotiating: the caller answers 202 and the client polls.
        }

        return _saved;
    }

    public Task<RequestSnapshot?> GetAsync() => CurrentAsync();

    public async Task<RequestSnapshot?> ReleaseAsync(AuditActor by)
    {
        await AwaitNegotiationAsync();
        await CatchUpAsync();
        if (_record.State == RequestState.Allocated)
        {
            await EndAsync(RequestState.Released, time.GetUtcNow(), by);
        }

        return _saved;
    }

    public async Task<RenewOutcome> RenewAsync(TimeSpan lease, AuditActor by)
    {
        await AwaitNegotiationAsync();
        await CatchUpAsync();
        if (_saved is null)
        {
            return new RenewOutcome(RenewKind.NotFound, null);
        }

        if (_record.State != RequestState.Allocated)
        {
            return new RenewOutcome(RenewKind.NotAllocated, _saved);
        }

        var leaseExpiresAt = time.GetUtcNow() + lease;
        var renewed = await Task.WhenAll(DataCentersOfAllocation().Select(dc => GrainFactory.Reference<IDataCenterGrain>(dc).ExtendLeaseAsync(Id, leaseExpiresAt)));
        if (renewed.Contains(LeaseExtension.NotHeld))
        {
            // A data center no longer holds it: the lease ended there first. Settle it as expired.
            await EndAsync(RequestState.Expired, EndOfHeldLease(), AuditActor.Broker);
            return new RenewOutcome(RenewKind.NotAllocated, _saved);
        }

        if (renewed.Contains(LeaseExtension.CapacityReserved))
        {
            // The lease stays as stored; a part that was extended elsewhere is held longer until the request ends, no more.
            return new RenewOutcome(RenewKind.CapacityReserved, _saved);
        }

        _record.LeaseExpiresAt = leaseExpiresAt;
        Audit.Add(RequestAuditEvents.Renewed(Id, _record, by));
        await _commit.CommitAsync();
        await Audit.SendAsync();
        return new RenewOutcome(RenewKind.Renewed, _saved);
    }

    public async Task LeaseEndedAsync(string dataCenter)
    {
        await AwaitNegotiationAsync();
        if (!DataCentersOfAllocation().Contains(dataCenter, StringComparer.Ordinal))
        {
            // Not this request's allocation (a data center it did not decide on, whose lease ran out before its check
            // round asked about it): that row goes, the request stays as it is. A renewal cannot have overtaken the
            // notice: a data center whose lease ended refuses it, and the request then ends.
            await GrainFactory.Reference<IDataCenterGrain>(dataCenter).ReleaseAsync(Id);
            if (_record.State == RequestState.None)
            {
                DeactivateOnIdle();
            }
        }
        else if (_record.State == RequestState.Allocated)
        {
            // The data center's schedule is the authority on its lease: its capacity is already free again.
            await EndAsync(RequestState.Expired, EndOfHeldLease(), AuditActor.Broker);
        }
        else if (_record.Settled)
        {
            // Settled before, but the data center still keeps the ended lease (its release was lost): release it again.
            await GrainFactory.Reference<IDataCenterGrain>(dataCenter).ReleaseAsync(Id);
        }
        else
        {
            await SettleIfEndedAsync();
        }
    }

    public async Task<AllocationClaim> ClaimsAllocationAsync(string dataCenter)
    {
        if (Negotiating || _fault is not null || await StepDownIfStaleAsync())
        {
            return AllocationClaim.Undecided;
        }

        if (_record.State == RequestState.Negotiating)
        {
            StartNegotiation(enteredGate: false);
            return AllocationClaim.Undecided;
        }

        if (_record.State == RequestState.None)
        {
            // No request was ever stored under this id: its negotiation died before deciding — or runs on in an
            // activation on a silo the cluster gave up on, which would store a decision on this allocation after
            // the data center released it. The fence makes such a decision's write fail before the answer is given.
            try
            {
                await _rows.FenceAsync();
            }
            catch (RowConflictException)
            {
                DeactivateOnIdle();
                return AllocationClaim.Undecided; // something was stored meanwhile: the next round asks the activation that has it
            }

            DeactivateOnIdle();
            return AllocationClaim.NotWanted;
        }

        var wanted = _record.State == RequestState.Allocated && DataCentersOfAllocation().Contains(dataCenter, StringComparer.Ordinal);
        return wanted ? AllocationClaim.Wanted : AllocationClaim.NotWanted;
    }

    private async Task<RequestSnapshot?> CurrentAsync()
    {
        await CatchUpAsync();
        return _saved;
    }

    private Task AwaitNegotiationAsync() => _negotiation is { IsCompleted: false } running ? running : Task.CompletedTask;

    /// <summary>
    /// Runs the negotiation beside the grain's turns (on its scheduler): a 202 answer leaves it running. It is no
    /// message, so the activation is kept from collection until it ends (two negotiations of one request must not run).
    /// </summary>
    private void StartNegotiation(bool enteredGate)
    {
        DelayDeactivation(TimeSpan.FromMinutes(10));
        _negotiation = NegotiateAndDecideAsync(enteredGate);
    }

    private async Task GiveBackAfterFaultAsync()
    {
        try
        {
            await ReleasePendingAsync();
            if (_saved is null)
            {
                await RequestQuota.ReleaseAsync(GrainFactory, Id, _record);
            }
        }
        catch (Exception error) when (error is TimeoutException or OrleansException or RowConflictException)
        {
            // The data centers' own check releases what was confirmed; the quota entry is given back by a retry's end.
            LogGiveBackFailed(Id, error);
        }
    }

    private async Task NegotiateAndDecideAsync(bool enteredGate)
    {
        try
        {
            await Task.Yield();
            if (await RequestQuota.ReserveAsync(GrainFactory, Id, _record, federation.Current) is { } refused)
            {
                await DecideAsync(new NegotiationOutcome(null, refused, [], default));
                return;
            }

            var outcome = await RecoverAsync() ?? await negotiator.NegotiateAsync(Id, Guid.NewGuid(), _record.HomeProvider, _record.Spec!, RecordIntentAsync);
            await DecideAsync(outcome);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            // A fault, not an outcome: nothing is decided. This activation steps down at once — its record may be
            // ahead of storage, so it claims nothing and writes nothing any more — and a retry or the next activation
            // starts from what is stored. What may have been confirmed is given back (a data center also asks about an
            // allocation nobody acknowledged), and so is a quota reservation no stored request will give back.
            LogNegotiationFailed(Id, error);
            _fault = error;
            DeactivateOnIdle();
            if (!LostToAnotherActivation(error))
            {
                await GiveBackAfterFaultAsync();
            }

            // Otherwise another activation of this request has stored it (this one ran on a silo the cluster had given
            // up on): releases and contract volume are given back by request id, so giving back here would undo the
            // other's allocation. What only this one confirmed is asked about by the data centers, and the other answers.
            // A conflict on another grain's row (a data center's old activation) is an ordinary fault: given back.
        }
        finally
        {
            if (enteredGate)
            {
                gate.Leave(_record.Tenant);
            }

            DelayDeactivation(TimeSpan.FromMilliseconds(-1));
            _decided.TrySetResult();
        }
    }

    /// <summary>
    /// A partner confirm is written down before it is sent (an intent log): after a crash the next activation finds
    /// it, and with it the contract volume to give back. A member's confirm needs no such write: a data center asks
    /// the request about an allocation it never acknowledged.
    /// </summary>
    private async Task RecordIntentAsync(PendingConfirm confirm)
    {
        _record.Pending = [.. _record.Pending, confirm];
        if (confirm.Tier == Tier.Partner)
        {
            await _commit.CommitAsync();
        }
    }

    /// <summary>
    /// After a crash mid-negotiation: asks the data centers of the intent log again. Their confirms are
    /// idempotent, so those that did confirm say yes. A complete set becomes the decision; anything less is
    /// released and the negotiation starts over. Null when there is nothing to recover.
    /// </summary>
    private async Task<NegotiationOutcome?> RecoverAsync()
    {
        if (_record.Pending.Length == 0)
        {
            return null;
        }

        var confirmed = new List<PendingConfirm>();
        foreach (var confirm in _record.Pending)
        {
            if (await GrainFactory.Reference<IDataCenterGrain>(confirm.DataCenter).ConfirmAsync(confirm.HoldId, Id, confirm.Attempt, confirm.LeaseExpiresAt))
            {
                confirmed.Add(confirm);
            }
        }

        var parts = confirmed.SelectMany(c => c.Parts).ToArray();
        var complete = _record.Spec!.Items.All(item => parts.Where(p => p.Resource == item.Resource).Sum(p => p.Amount) == item.Amount)
            && parts.Length > 0 && (_record.Spec.Splittable || confirmed.Count == 1);
        if (complete && await ContractVolumeHeldAsync(confirmed))
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
        _record.Pending = [];
        return null;
    }

    /// <summary>
    /// Whether the contract volume of every recovered partner confirm is (still, or again) reserved. The interrupted
    /// negotiation may have given it back after a fault while its confirm was still on its way to storage (a silo cut
    /// off mid-confirm: the fault run saw a partner contract served at 44 of 40 by a request recovered that way). The
    /// reservation is idempotent per negotiation; without room in the contract the recovery counts as incomplete.
    /// </summary>
    private async Task<bool> ContractVolumeHeldAsync(IEnumerable<PendingConfirm> confirmed)
    {
        foreach (var confirm in confirmed.Where(c => c.Tier == Tier.Partner))
        {
            if (!await ContractReservations.ReserveAsync(GrainFactory, federation.Current, _record.HomeProvider, Id, confirm.DataCenter, confirm.Provider, confirm.Attempt, confirm.Parts, confirm.LeaseExpiresAt))
            {
                return false;
            }
        }

        return true;
    }

    // Giving back where nothing was confirmed is a no-op; the log cannot tell which confirms went through.
    private Task ReleasePendingAsync() => Task.WhenAll(_record.Pending
        .GroupBy(p => p.Attempt)
        .Select(attempt => CapacityReturn.AbandonAsync(GrainFactory, Id, attempt.Key, _record.HomeProvider, attempt.SelectMany(p => p.Parts).ToArray())));

    /// <summary>Stores the decision with its audit event and index line, then tells the data centers and the trail.</summary>
    private async Task DecideAsync(NegotiationOutcome outcome)
    {
        if (outcome.Allocation is null)
        {
            await RequestQuota.ReleaseAsync(GrainFactory, Id, _record);
        }

        RequestLifecycle.Decide(_record, outcome, time.GetUtcNow());
        Audit.Add(RequestAuditEvents.Decided(Id, _record));
        await _commit.CommitAsync();
        metrics.Decided(_record.Allocation?.Tier, _record.Reason?.Code, _submittedAt is { } submitted ? Stopwatch.GetElapsedTime(submitted) : null);
        foreach (var dataCenter in DataCentersOfAllocation())
        {
            GrainFactory.Reference<IDataCenterGrain>(dataCenter).AcknowledgeAsync(Id).Ignore();
        }

        await Audit.SendAsync();
    }

    /// <summary>
    /// Brings the request up to date before any call acts on it: a lease that ran out ends now, and an end whose
    /// settling failed part-way (a data center or a ledger unreachable) is settled again — so a client's retry
    /// of a release finishes the job instead of leaving capacity held until the grain is next activated.
    /// </summary>
    private async Task CatchUpAsync()
    {
        if (Negotiating)
        {
            // The negotiation's decision and its audit event may not be stored yet: nothing to catch up, nothing to send.
            return;
        }

        if (await StepDownIfStaleAsync())
        {
            return;
        }

        await Audit.SendAsync();
        if (_record.State == RequestState.Allocated && time.GetUtcNow() >= _record.LeaseExpiresAt)
        {
            await EndAsync(RequestState.Expired, _record.LeaseExpiresAt!.Value, AuditActor.Broker);
        }
        else
        {
            await SettleIfEndedAsync();
        }
    }

    /// <summary>
    /// Whether another activation of this request has written since this one last touched storage: then this one
    /// runs on a silo the cluster gave up on (cut off, or paused, and not yet told). It answers with what is stored,
    /// never from its own memory, and goes; the next call finds the request's true activation.
    /// </summary>
    private async Task<bool> StepDownIfStaleAsync()
    {
        if (await _rows.NewerStoredAsync() is not { } stored)
        {
            return false;
        }

        _record = stored;
        _saved = stored.ToSnapshot(Id);
        DeactivateOnIdle();
        return true;
    }

    /// <summary>
    /// When a lease that a data center no longer holds ended: at its end, or now if that is still to come — a data
    /// center that lost an allocation early must not have the tenant charged for time it did not serve.
    /// </summary>
    private DateTimeOffset EndOfHeldLease()
    {
        var now = time.GetUtcNow();
        return _record.LeaseExpiresAt!.Value < now ? _record.LeaseExpiresAt.Value : now;
    }

    /// <summary>Stores the end with its charges and audit event in one commit, then gives the capacity back.</summary>
    private async Task EndAsync(RequestState end, DateTimeOffset endedAt, AuditActor by)
    {
        RequestLifecycle.End(_record, end, endedAt);
        Audit.Add(RequestAuditEvents.Ended(Id, _record, by));
        _charges = UsageCharges.For(Id, _record.Tenant, _record.HomeProvider, _record.Allocation!, _record.HeldSince!.Value, endedAt, _record.Stretch);
        await _commit.CommitAsync();
        await Audit.SendAsync();
        await SettleIfEndedAsync();
    }

    /// <summary>Gives the capacity, contract volume and quota back after an end; every step is idempotent.</summary>
    private async Task SettleIfEndedAsync()
    {
        if (_record.State is not (RequestState.Released or RequestState.Expired) || _record.Settled)
        {
            return;
        }

        await CapacityReturn.ReleaseAsync(GrainFactory, Id, _record.HomeProvider, _record.Allocation!.Parts);
        await RequestQuota.ReleaseAsync(GrainFactory, Id, _record);
        // Stored with the next write or at deactivation, not on its own: settling again after a crash is harmless
        // (every step is idempotent), so the answer to a release need not wait for a write of this flag.
        _record.Settled = true;
        _settledUnsaved = true;
        LogEnded(Id, _record.State);
    }

    /// <summary>One write: the record as it is now, with its index line and pending charges. A failure makes the activation step down.</summary>
    private Task WriteAsync() => _failedWrite.GuardAsync(
        async () =>
        {
            Audit.MarkSaved();
            _settledUnsaved = false;
            var snapshot = _record.ToSnapshot(Id);
            var charges = _charges;
            _charges = [];
            await _rows.WriteAsync(_record, charges);
            _saved = snapshot;
        },
        DeactivateOnIdle);

    private bool LostToAnotherActivation(Exception error) =>
        error is RowConflictException { Key: { Table: RequestRows.Table } key } && key.Owner == Id;

    private IEnumerable<string> DataCentersOfAllocation() =>
        _record.Allocation?.Parts.Select(p => p.DataCenter).Distinct(StringComparer.Ordinal) ?? [];

    [LoggerMessage(Level = LogLevel.Error, Message = "Negotiation of request {RequestId} failed")]
    private partial void LogNegotiationFailed(string requestId, Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId} could not give back what its failed negotiation held")]
    private partial void LogGiveBackFailed(string requestId, Exception error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {RequestId} recovered its allocation from {Confirms} confirms of an interrupted negotiation")]
    private partial void LogRecovered(string requestId, int confirms);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Request {RequestId} ended as {State} and settled")]
    private partial void LogEnded(string requestId, RequestState state);
}
