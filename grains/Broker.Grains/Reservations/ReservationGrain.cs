using Broker.Audit;
using Broker.DataCenters;
using Broker.Domain;
using Broker.Grains.Audit;
using Broker.Grains.Directory;
using Broker.Grains.Federation;
using Broker.Grains.Providers;
using Broker.Grains.Storage;
using Broker.Providers;
using Broker.Requests;
using Broker.Reservations;
using Broker.Tenants;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Serialization;

namespace Broker.Grains.Reservations;

/// <summary>
/// Owns one reservation from its booking to its end. The booking is decided at once and durable before anyone hears
/// of it: the data center holds the window in its time-aware book (its row unacknowledged until this record is
/// stored, as an allocation's is), then the record is stored with the tenant's index line. At start the data center
/// turns the booking into an allocation of the reservation's request by its own schedule and tells this grain, which
/// records the request (allocated until the window's end); a data center's question about an allocation nobody
/// acknowledged completes a start that was interrupted, so the start survives any crash, a whole-cluster restart too.
/// The tenant's quota holds the units from the booking on, under the request's id, so the request inherits them.
/// </summary>
public sealed partial class ReservationGrain(
    IRowStore rows,
    Serializer serializer,
    CapacityDirectory directory,
    FederationRegistry federation,
    IOptions<NegotiationOptions> options,
    [FromKeyedServices(BrokerTime.Key)] TimeProvider time,
    ILogger<ReservationGrain> logger) : Grain, IReservationGrain
{
    private ReservationRows _rows = null!;
    private GroupCommit _commit = null!;
    private ReservationRecord _record = new();
    private ReservationSnapshot? _saved;
    private AuditOutbox? _audit;

    private string Id => this.GetPrimaryKeyString();

    private string RequestId => ReservationIds.RequestOf(Id);

    private AuditOutbox Audit => _audit ??= new AuditOutbox(GrainFactory, logger, $"reservation {Id}", () => _record.AuditPending, pending => _record.AuditPending = pending);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _rows = new ReservationRows(rows, serializer, Id, time);
        _commit = GroupCommit.Of(WriteAsync);
        if (await _rows.LoadAsync() is { } stored)
        {
            _record = stored;
            _saved = stored.ToSnapshot(Id);
        }

        await Audit.SendAsync();
    }

    public async Task<ReservationOutcome> CreateAsync(ReserveCommand command)
    {
        if (_record.State != ReservationState.None)
        {
            var same = _record.Tenant == command.Tenant
                && ReservationRecord.CanonicalForm(_record.Spec!, _record.Start, _record.End) == ReservationRecord.CanonicalForm(command.Spec, command.Start, command.End);
            return same ? new ReservationOutcome(ReservationOutcomeKind.Existing, await CurrentAsync()) : new ReservationOutcome(ReservationOutcomeKind.Conflict, null);
        }

        _record = new ReservationRecord
        {
            Tenant = command.Tenant,
            HomeProvider = command.HomeProvider,
            Spec = command.Spec,
            Start = command.Start,
            End = command.End,
            CreatedAt = time.GetUtcNow(),
            BookedBy = command.By,
            Attempt = Guid.NewGuid(),
        };
        try
        {
            await BookAsync();
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            // A fault, not a decision: nothing is stored, what was booked goes back, and the caller sees the fault (503).
            LogBookingFailed(Id, error);
            DeactivateOnIdle();
            await GiveBackBookingAsync();
            throw;
        }

        if (_record.DataCenter is { } dc)
        {
            GrainFactory.Reference<IDataCenterGrain>(dc).AcknowledgeAsync(Id).Ignore();
        }

        await Audit.SendAsync();
        return new ReservationOutcome(ReservationOutcomeKind.Created, _saved);
    }

    public Task<ReservationSnapshot?> GetAsync() => CurrentAsync();

    public async Task<ReservationSnapshot?> CancelAsync(AuditActor by)
    {
        await CatchUpAsync();
        if (_record.State == ReservationState.Confirmed)
        {
            // Stored first: a booking whose release is lost is turned down when its data center asks about it at start.
            _record.State = ReservationState.Cancelled;
            Audit.Add(ReservationAuditEvents.Cancelled(Id, _record, by));
            await _commit.CommitAsync();
            await GiveBackBookingAsync();
            await Audit.SendAsync();
        }
        else if (_record.State == ReservationState.Active)
        {
            await GrainFactory.Reference<IRequestGrain>(RequestId).ReleaseAsync(by);
            _record.State = ReservationState.Ended;
            await _commit.CommitAsync();
        }

        return _saved;
    }

    public async Task<AllocationClaim> ClaimsAllocationAsync(string dataCenter, bool started)
    {
        if (_record.State == ReservationState.None)
        {
            // Nothing was stored under this id: its booking died before deciding. The fence keeps a booking still running
            // in an activation on a silo the cluster gave up on from storing a decision on what the data center releases.
            try
            {
                await _rows.FenceAsync();
            }
            catch (RowConflictException)
            {
                DeactivateOnIdle();
                return AllocationClaim.Undecided;
            }

            DeactivateOnIdle();
            return AllocationClaim.NotWanted;
        }

        if (_record.DataCenter != dataCenter)
        {
            return AllocationClaim.NotWanted;
        }

        if (_record.State == ReservationState.Confirmed && started)
        {
            await StartAsync();
        }

        return (_record.State, started) switch
        {
            (ReservationState.Confirmed, false) => AllocationClaim.Wanted,
            (ReservationState.Active, true) => AllocationClaim.Wanted,
            _ => AllocationClaim.NotWanted,
        };
    }

    public async Task StartedAsync(string dataCenter)
    {
        if (_record.State == ReservationState.Confirmed && _record.DataCenter == dataCenter)
        {
            await StartAsync();
        }
    }

    private async Task BookAsync()
    {
        var spec = _record.Spec!;
        var view = federation.Current;
        if (await QuotaRefusalAsync(view) is { } refused)
        {
            Decide(null, refused, []);
        }
        else
        {
            var booking = new ReservationBooking(GrainFactory, directory, view, options.Value);
            var (allocation, rejection, trace) = await booking.BookAsync(Id, _record.Attempt, _record.HomeProvider, spec, _record.Start, _record.End);
            Decide(allocation, rejection, trace);
        }

        if (_record.State == ReservationState.Rejected && _record.QuotaHeld)
        {
            await GrainFactory.Reference<ITenantQuotaGrain>(_record.Tenant).ReleaseAsync(RequestId);
            _record.QuotaHeld = false;
        }

        Audit.Add(ReservationAuditEvents.Decided(Id, _record));
        await _commit.CommitAsync();
    }

    private void Decide(Allocation? allocation, Rejection? rejection, TraceEntry[] trace)
    {
        _record.DecidedAt = time.GetUtcNow();
        _record.Trace = trace;
        _record.Allocation = allocation;
        _record.Reason = allocation is null ? rejection : null;
        _record.State = allocation is null ? ReservationState.Rejected : ReservationState.Confirmed;
    }

    /// <summary>The quota, where one concerns the items, holds them from the booking on under the request's id.</summary>
    private async Task<Rejection?> QuotaRefusalAsync(FederationView view)
    {
        var spec = _record.Spec!;
        if (!view.Tenants.TryGetValue(_record.Tenant, out var tenant) || !spec.Items.Any(i => tenant.Quotas.ContainsKey(i.Resource)))
        {
            return null;
        }

        if (!await GrainFactory.Reference<ITenantQuotaGrain>(_record.Tenant).TryReserveAsync(RequestId, spec.Items, tenant.Quotas))
        {
            return new Rejection(RejectionCode.QuotaExceeded, "the tenant's quota would be exceeded by the reserved units, which count from the booking on");
        }

        _record.QuotaHeld = true;
        return null;
    }

    /// <summary>What the booking holds — the window at the data center, the contract's volume, the quota — goes back; each step idempotent.</summary>
    private async Task GiveBackBookingAsync()
    {
        try
        {
            if (_record.Allocation is { } allocation)
            {
                var dc = allocation.Parts[0].DataCenter;
                await GrainFactory.Reference<IDataCenterGrain>(dc).AbandonAsync(Id, _record.Attempt);
                if (allocation.Tier == Tier.Partner)
                {
                    await GrainFactory.Reference<IProviderGrain>(_record.HomeProvider).AbandonContractAsync(ContractReservations.Key(Id, dc, _record.Attempt));
                }
            }

            if (_record.QuotaHeld)
            {
                await GrainFactory.Reference<ITenantQuotaGrain>(_record.Tenant).ReleaseAsync(RequestId);
                _record.QuotaHeld = false;
            }
        }
        catch (Exception error) when (error is TimeoutException or OrleansException)
        {
            // The data center asks about a booking nobody stands by, and is told to drop it.
            LogGiveBackFailed(Id, error);
        }
    }

    /// <summary>
    /// The start: the data center is asked to turn the booking into the request's allocation (it does so by itself when
    /// its schedule comes to it; asking makes sure it has), the contract volume is handed to the request, and the
    /// request is recorded, allocated until the window's end. Then the reservation is active. Every step is idempotent.
    /// </summary>
    private async Task StartAsync()
    {
        var allocation = _record.Allocation!;
        var dc = allocation.Parts[0].DataCenter;
        if (!await GrainFactory.Reference<IDataCenterGrain>(dc).StartReservationAsync(Id))
        {
            // Not due yet at the data center, or it no longer holds it: nothing to record now.
            return;
        }

        if (allocation.Tier == Tier.Partner)
        {
            await GrainFactory.Reference<IProviderGrain>(_record.HomeProvider).StartContractWindowAsync(
                ContractReservations.Key(Id, dc, _record.Attempt), ContractReservations.Key(RequestId, dc, _record.Attempt));
        }

        await GrainFactory.Reference<IRequestGrain>(RequestId).AdoptAsync(new AdoptCommand(
            _record.Tenant, _record.HomeProvider, _record.Spec!, allocation, _record.Start, _record.End, Id, _record.BookedBy ?? AuditActor.Broker, _record.QuotaHeld));
        _record.State = ReservationState.Active;
        _record.Request = RequestId;
        _record.QuotaHeld = false;
        Audit.Add(ReservationAuditEvents.Started(Id, _record));
        await _commit.CommitAsync();
        LogStarted(Id, RequestId);
        await Audit.SendAsync();
    }

    /// <summary>A start that is due is completed on a read too; an active reservation whose request ended reads ended.</summary>
    private async Task CatchUpAsync()
    {
        if (_record.State == ReservationState.Confirmed && time.GetUtcNow() >= _record.Start)
        {
            await StartAsync();
        }

        if (_record.State == ReservationState.Active
            && await GrainFactory.Reference<IRequestGrain>(RequestId).GetAsync() is { State: RequestState.Released or RequestState.Expired })
        {
            _record.State = ReservationState.Ended;
            await _commit.CommitAsync();
        }
    }

    private async Task<ReservationSnapshot?> CurrentAsync()
    {
        await CatchUpAsync();
        return _saved;
    }

    private async Task WriteAsync()
    {
        Audit.MarkSaved();
        var snapshot = _record.ToSnapshot(Id);
        try
        {
            await _rows.WriteAsync(_record);
        }
        catch
        {
            DeactivateOnIdle();
            throw;
        }

        _saved = snapshot;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Booking reservation {ReservationId} failed")]
    private partial void LogBookingFailed(string reservationId, Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reservation {ReservationId} could not give back what its booking held")]
    private partial void LogGiveBackFailed(string reservationId, Exception error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reservation {ReservationId} started as request {RequestId}")]
    private partial void LogStarted(string reservationId, string requestId);
}
