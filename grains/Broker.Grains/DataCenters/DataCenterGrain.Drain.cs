using Broker.DataCenters;
using Microsoft.Extensions.Logging;

namespace Broker.Grains.DataCenters;

/// <summary>
/// What a data center does for its drain (<see cref="Drain.DataCenterDrainGrain"/>): it refuses new work while told it
/// is draining (stored in its head, so a restart keeps refusing), and says what it still holds. The moves themselves
/// are made by each request; the data center only sees a new allocation elsewhere and then a release here.
/// </summary>
public sealed partial class DataCenterGrain
{
    public async Task SetDrainingAsync(bool draining)
    {
        if (_head.Draining == draining)
        {
            return;
        }

        // A new drain counts its own moves.
        _head = _head with { Draining = draining, MovedAway = draining ? 0 : _head.MovedAway };
        await _commit.CommitAsync();
        LogDraining(Id, draining);
        RequestPublish();
    }

    public Task<string[]> AllocationsToMoveAsync()
    {
        Purge(time.GetUtcNow());
        return Task.FromResult(_book.Allocations.Keys.ToArray());
    }

    public Task<DrainProgress> DrainProgressAsync(string[] asked)
    {
        Purge(time.GetUtcNow());
        return Task.FromResult(new DrainProgress(_book.Allocations.Count, _head.MovedAway, asked.Where(_book.Allocations.ContainsKey).ToArray()));
    }

    public async Task ReleaseMovedAsync(string requestId)
    {
        if (_book.Release(requestId))
        {
            _head = _head with { MovedAway = _head.MovedAway + 1 };
            await _commit.CommitAsync();
            RequestPublish();
        }
        else
        {
            // As a release: "nothing here" must not come from the memory of an activation the cluster moved past.
            await StepDownIfOvertakenAsync();
        }
    }

    /// <summary>
    /// A hold granted before the drain began is not confirmed any more (its capacity goes back, the negotiation tries its
    /// next offer) — unless the same negotiation holds the allocation already, when a confirm is only its retry.
    /// </summary>
    private bool RefusedWhileDraining(Guid holdId, string requestId, Guid attempt)
    {
        if (!_head.Draining || (_book.Allocations.TryGetValue(requestId, out var allocated) && allocated.Attempt == attempt))
        {
            return false;
        }

        _book.CancelHold(holdId);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Data center {DataCenter} draining: {Draining}")]
    private partial void LogDraining(string dataCenter, bool draining);
}
