using Broker.Audit;
using Broker.DataCenters;
using Broker.Grains.Audit;
using Broker.Grains.Directory;
using Broker.Grains.Federation;
using Broker.Requests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace Broker.Grains.DataCenters.Drain;

/// <summary>
/// Drives one data center's drain. Its record (running, reason, stuck parts) is durable before an answer; the data
/// center is told to take nothing new, durably, and counts the moves itself in the write of each release. Every pass
/// (<see cref="DrainOptions.PassInterval"/>) reads what the data center still holds and asks each request to move,
/// at most <see cref="DrainOptions.MaxMovesInFlight"/> at once; a part with no room elsewhere is listed as stuck and
/// tried again as capacity frees up (<see cref="StuckRetries"/>). One reminder per draining data center brings it back
/// after a whole-cluster restart; a crash mid-move is the request's to resolve (see its move), so a pass only ever
/// asks again. Reentrant: reading the drain's state never waits for a pass.
/// </summary>
[Reentrant]
public sealed partial class DataCenterDrainGrain(
    [PersistentState("drain", StorageNames.Broker)] IPersistentState<DrainRecord> state,
    IOptions<DrainOptions> options,
    CapacityDirectory directory,
    FederationRegistry federation,
    [FromKeyedServices(BrokerTime.Key)] TimeProvider time,
    ILogger<DataCenterDrainGrain> logger) : Grain, IDataCenterDrainGrain, IRemindable
{
    private const string WakeUp = "drain";
    private static readonly TimeSpan WakeUpPeriod = TimeSpan.FromMinutes(1);

    private DrainRecord _drain = new();
    private GroupCommit _commit = null!;
    private StuckRetries _retries = null!;
    private IGrainTimer? _passes;
    private Task? _pass;
    private long _passNumber;
    private AuditOutbox? _audit;

    private string Id => this.GetPrimaryKeyString();

    private IDataCenterGrain DataCenter => GrainFactory.Reference<IDataCenterGrain>(Id);

    private AuditOutbox Audit => _audit ??= new AuditOutbox(GrainFactory, logger, $"drain of {Id}", () => _drain.AuditPending, pending => _drain.AuditPending = pending);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _drain = state.State.Copy();
        _retries = new StuckRetries(directory, Id);

        // A failed write leaves memory ahead of storage: this activation steps down and the next reads what is stored.
        _commit = GroupCommit.OfSnapshots(state, () =>
        {
            Audit.MarkSaved();
            return _drain.Copy();
        }, DeactivateOnIdle);
        if (_drain.Draining)
        {
            // Back after a crash or a restart: the data center is told again (idempotent) and the passes go on.
            await DataCenter.SetDrainingAsync(true);
            RunPasses();
        }

        await Audit.SendAsync();
    }

    public async Task<DrainStart> StartAsync(string? reason, AuditActor by)
    {
        if (_drain.Draining)
        {
            // Again while draining: the data center is told again, in case the first answer was lost before it was.
            await DataCenter.SetDrainingAsync(true);
            RunPasses();
            return new DrainStart(false, await StatusAsync());
        }

        // The wake-up first: a drain stored without one would not come back by itself after a restart.
        await this.RegisterOrUpdateReminder(WakeUp, WakeUpPeriod, WakeUpPeriod);
        _drain = new DrainRecord
        {
            Draining = true,
            Reason = reason,
            StartedAt = time.GetUtcNow(),
            Number = _drain.Number + 1,
            AuditPending = _drain.AuditPending,
        };
        Audit.Add(DrainAuditEvents.Started(Id, Owner, _drain, by));
        await _commit.CommitAsync();
        await DataCenter.SetDrainingAsync(true);
        LogStarted(Id, reason ?? "");
        RunPasses();
        await Audit.SendAsync();
        return new DrainStart(true, await StatusAsync());
    }

    public Task<DrainStatus> GetAsync() => StatusAsync();

    public async Task<DrainStatus> StopAsync(AuditActor by)
    {
        if (!_drain.Draining)
        {
            return DrainStatus.None(Id);
        }

        var ended = await StatusAsync();
        await DataCenter.SetDrainingAsync(false);
        StopPasses();
        _drain.Draining = false;
        _drain.Stuck.Clear();
        Audit.Add(DrainAuditEvents.Stopped(Id, Owner, _drain, ended, by));
        await _commit.CommitAsync();
        if (await this.GetReminder(WakeUp) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }

        LogStopped(Id, ended.Moved, ended.Remaining);
        await Audit.SendAsync();
        return DrainStatus.None(Id);
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (_drain.Draining)
        {
            RunPasses();
        }
        else if (await this.GetReminder(WakeUp) is { } reminder)
        {
            // A reminder of a drain that ended before it could unregister it.
            await this.UnregisterReminder(reminder);
        }

        await Audit.SendAsync();
    }

    private string? Owner => federation.Current.DataCenterOwners.GetValueOrDefault(Id);

    private async Task<DrainStatus> StatusAsync()
    {
        if (!_drain.Draining)
        {
            return DrainStatus.None(Id);
        }

        var progress = await DataCenter.DrainProgressAsync([.. _drain.Stuck.Keys]);
        var stuck = progress.Held
            .Select(request => _drain.Stuck.TryGetValue(request, out var why) ? new StuckAllocation(request, why.Reason) : null)
            .OfType<StuckAllocation>()
            .OrderBy(s => s.Request, StringComparer.Ordinal)
            .ToArray();
        return new DrainStatus
        {
            DataCenter = Id,
            State = progress.Remaining == stuck.Length ? DrainState.Drained : DrainState.Draining,
            Reason = _drain.Reason,
            StartedAt = _drain.StartedAt,
            Moved = progress.Moved,
            Remaining = progress.Remaining,
            Stuck = stuck,
        };
    }

    /// <summary>Passes at the configured interval, kept alive by them while the drain runs; the first one now.</summary>
    private void RunPasses()
    {
        var every = options.Value.PassInterval;
        _passes ??= this.RegisterGrainTimer(OnPassDueAsync, new GrainTimerCreationOptions(TimeSpan.Zero, every) { Interleave = true, KeepAlive = true });
    }

    private void StopPasses()
    {
        _passes?.Dispose();
        _passes = null;
        _retries.Clear();
    }

    /// <summary>One pass at a time; a tick during a long pass is skipped, not queued.</summary>
    private Task OnPassDueAsync(CancellationToken cancellationToken)
    {
        if (_drain.Draining && _pass is null or { IsCompleted: true })
        {
            _pass = PassAsync(_drain.Number);
        }

        return Task.CompletedTask;
    }

    private async Task PassAsync(int drain)
    {
        try
        {
            _passNumber++;
            _retries.BeginPass();
            var held = await DataCenter.AllocationsToMoveAsync();
            if (Forget(held.ToHashSet(StringComparer.Ordinal)))
            {
                await _commit.CommitAsync();
            }

            var limit = options.Value.MaxMovesInFlight;
            var inFlight = new List<Task>(limit);
            foreach (var request in held)
            {
                if (_drain.Number != drain || !_drain.Draining)
                {
                    break;
                }

                if (_drain.Stuck.TryGetValue(request, out var stuck) && !_retries.Due(request, stuck, _passNumber))
                {
                    continue;
                }

                if (inFlight.Count >= limit)
                {
                    inFlight.Remove(await Task.WhenAny(inFlight));
                }

                inFlight.Add(MoveAsync(request, drain));
            }

            await Task.WhenAll(inFlight);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            // The next pass starts over from what the data center holds.
            LogPassFailed(Id, error);
        }
    }

    /// <summary>Stuck parts no longer at the data center (released, expired, moved by an earlier pass) leave the list.</summary>
    private bool Forget(HashSet<string> held)
    {
        var gone = _drain.Stuck.Keys.Where(request => !held.Contains(request)).ToArray();
        foreach (var request in gone)
        {
            _drain.Stuck.Remove(request);
            _retries.Forget(request);
        }

        return gone.Length > 0;
    }

    private async Task MoveAsync(string request, int drain)
    {
        MoveOutcome outcome;
        try
        {
            outcome = await GrainFactory.Reference<IRequestGrain>(request).MoveAsync(Id);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            // A fault, not a verdict on room elsewhere: asked again in the next pass, not listed as stuck.
            LogMoveFailed(Id, request, error);
            return;
        }

        if (_drain.Number != drain || !_drain.Draining)
        {
            return;
        }

        if (outcome.Kind == MoveKind.Stuck)
        {
            var attempts = (_drain.Stuck.TryGetValue(request, out var before) ? before.Attempts : 0) + 1;
            _retries.Failed(request, attempts, _passNumber);
            var changed = before?.Reason != outcome.Reason;
            _drain.Stuck[request] = new StuckMove(outcome.Reason ?? "", outcome.Needs ?? [], attempts);
            if (changed)
            {
                // Stored when what a reader sees changes; the count of attempts may lag behind after a crash.
                await _commit.CommitAsync();
            }
        }
        else if (outcome.Kind is MoveKind.Moved or MoveKind.Gone && _drain.Stuck.Remove(request))
        {
            _retries.Forget(request);
            await _commit.CommitAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Drain of {DataCenter} started: {Reason}")]
    private partial void LogStarted(string dataCenter, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Drain of {DataCenter} stopped after {Moved} moves, {Remaining} allocations left")]
    private partial void LogStopped(string dataCenter, long moved, long remaining);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A pass of the drain of {DataCenter} failed; the next one starts over")]
    private partial void LogPassFailed(string dataCenter, Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The drain of {DataCenter} could not move request {RequestId}; it asks again in its next pass")]
    private partial void LogMoveFailed(string dataCenter, string requestId, Exception error);
}
