using Broker.DataCenters;
using Broker.Domain;
using Broker.Grains.Ledger;
using Broker.Grains.Negotiation;
using Broker.Providers;
using Broker.Requests;
using Microsoft.Extensions.Logging;

namespace Broker.Grains.Requests;

/// <summary>
/// A drain's move, make-before-break: the part at the draining data center is negotiated anew — the request's own
/// constraints and tier rules, the other data centers it is in left out, its lease end kept — and confirmed (durable
/// at the new place, unacknowledged); then the request stores its new allocation, the move and the charges of the
/// stretch that ends, in one commit; only then is the old place released. A crash before the commit leaves the old
/// place as it was (the new data center asks, and is told the request does not want it); after the commit, the drain's
/// next ask finds the request gone from the old place and releases what is left there. The request is allocated at
/// every moment in between. It runs within the call (the grain is not reentrant), so no other call sees it half done.
/// </summary>
public sealed partial class RequestGrain
{
    public async Task<MoveOutcome> MoveAsync(string dataCenter)
    {
        await AwaitNegotiationAsync();
        await CatchUpAsync();
        if (_fault is not null)
        {
            throw new TimeoutException($"request {Id} failed and is leaving memory; ask again");
        }

        if (_record.State is RequestState.None or RequestState.Negotiating)
        {
            return new MoveOutcome(MoveKind.NotYet);
        }

        var there = _record.Allocation?.Parts.Where(p => p.DataCenter == dataCenter).ToArray() ?? [];
        if (_record.State != RequestState.Allocated || there.Length == 0)
        {
            // Not (or no longer) its place: whatever the data center still keeps for it goes — also the second half of a
            // move whose release was lost after the move was stored.
            var owner = federation.Current.DataCenterOwners.GetValueOrDefault(dataCenter, "");
            var movedAway = _record.Moves.Any(m => m.From == dataCenter);
            await GiveBackAtAsync(dataCenter, federation.Current.KindOf(owner) == ProviderKind.Partner, movedAway);
            return new MoveOutcome(MoveKind.Gone);
        }

        var before = _record.Allocation!;
        var stays = before.Parts.Where(p => p.DataCenter != dataCenter).ToArray();
        var spec = MoveSpec(there, stays);
        var excluded = before.Parts.Select(p => p.DataCenter).ToHashSet(StringComparer.Ordinal);
        var attempt = Guid.NewGuid();
        NegotiationOutcome outcome;
        try
        {
            outcome = await negotiator.NegotiateAsync(Id, attempt, _record.HomeProvider, spec, RecordIntentAsync, new NegotiationScope(excluded, _record.LeaseExpiresAt!.Value));
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            // The request stays where it is; what this attempt confirmed elsewhere goes back (its data center would also ask).
            LogMoveFailed(Id, dataCenter, error);
            if (!LostToAnotherActivation(error))
            {
                await GiveBackAfterFaultAsync();
            }

            _record.Pending = [];
            throw;
        }

        if (outcome.Allocation is not { } placed)
        {
            _record.Pending = [];
            var why = outcome.Rejection!;
            return new MoveOutcome(MoveKind.Stuck, $"{Wire.Kebab(why.Code)}: {why.Detail}", spec.Items);
        }

        var now = time.GetUtcNow();
        var to = placed.Parts.Select(p => p.DataCenter).Distinct(StringComparer.Ordinal).ToArray();
        _charges = UsageCharges.For(Id, _record.Tenant, _record.HomeProvider, before, _record.HeldSince!.Value, now, _record.Stretch);
        var parts = stays.Concat(placed.Parts).ToArray();
        _record.Allocation = new Allocation { Tier = parts.Max(p => p.Tier), Provider = parts[0].Provider, Parts = parts };
        _record.Moves = [.. _record.Moves, .. to.Select(dc => new RequestMove(now, dataCenter, dc))];
        _record.Stretch++;
        _record.Pending = [];
        Audit.Add(RequestAuditEvents.Moved(Id, _record, dataCenter, to, before));
        await _commit.CommitAsync();
        foreach (var dc in to)
        {
            GrainFactory.Reference<IDataCenterGrain>(dc).AcknowledgeAsync(Id).Ignore();
        }

        LogMoved(Id, dataCenter, string.Join(", ", to));
        await GiveBackAtAsync(dataCenter, there.Any(p => p.Tier == Tier.Partner), movedAway: true);
        await Audit.SendAsync();
        return new MoveOutcome(MoveKind.Moved);
    }

    /// <summary>
    /// What the part at the draining data center asks for on its own: its amounts, and of the request's budget what the
    /// parts that stay do not use. A bundle moves whole; a splittable request's part may spread again.
    /// </summary>
    private RequestSpec MoveSpec(AllocationPart[] there, AllocationPart[] stays)
    {
        var spec = _record.Spec!;
        var items = there.GroupBy(p => p.Resource, StringComparer.Ordinal).Select(g => new RequestItem(g.Key, g.Sum(p => p.Amount))).ToArray();
        var budget = spec.Constraints.MaxHourlyCost is { } max ? max - stays.Sum(p => p.Amount * p.PricePerUnitHour) : (decimal?)null;
        return spec with { Items = items, Constraints = spec.Constraints with { MaxHourlyCost = budget } };
    }

    /// <summary>
    /// Releases the request's allocation at a data center it left — counted there as a move when it left by one — and
    /// its contract volume there when that is a partner's.
    /// </summary>
    private async Task GiveBackAtAsync(string dataCenter, bool partner, bool movedAway)
    {
        var left = GrainFactory.Reference<IDataCenterGrain>(dataCenter);
        await (movedAway ? left.ReleaseMovedAsync(Id) : left.ReleaseAsync(Id));
        if (partner)
        {
            await GrainFactory.Reference<IProviderGrain>(_record.HomeProvider).ReleaseContractAtAsync(Id, dataCenter);
        }
    }

    /// <summary>
    /// An allocated request that still lists confirms in its intent log was interrupted moving (a partner confirm is
    /// written down first): what that attempt confirmed is given back — by its attempt, so never the allocation the
    /// request holds — and the log is cleared with the next write.
    /// </summary>
    private async Task AbandonInterruptedMoveAsync()
    {
        if (_record.State != RequestState.Allocated || _record.Pending.Length == 0)
        {
            return;
        }

        try
        {
            await ReleasePendingAsync();
            _record.Pending = [];
        }
        catch (Exception error) when (error is TimeoutException or OrleansException)
        {
            // Asked about again by the data centers; the contract volume comes back at the request's end at the latest.
            LogGiveBackFailed(Id, error);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {RequestId} moved from {From} to {To}")]
    private partial void LogMoved(string requestId, string from, string to);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Moving request {RequestId} away from {DataCenter} failed; it stays there")]
    private partial void LogMoveFailed(string requestId, string dataCenter, Exception error);
}
