using System.Runtime.ExceptionServices;

namespace Broker.Grains.Storage;

/// <summary>
/// Remembers that a write of this activation failed. From then on its memory may be ahead of storage — the failed write's
/// changes are neither stored nor undone — so the activation must answer nothing more from it, not even to a retry of the
/// call that failed: a retried confirm would find "its" allocation in memory and say yes, a retried release would give
/// back capacity the stored request still holds. Every later call fails as the write did (503 to a client; its retry
/// reaches the next activation, which starts from what is stored) until the activation is gone.
/// </summary>
internal sealed class FailedWrite
{
    private ExceptionDispatchInfo? _failure;

    public bool Happened => _failure is not null;

    /// <summary>Throws the failure of this activation's write, if one failed.</summary>
    public void ThrowIfHappened() => _failure?.Throw();

    /// <summary>
    /// Runs one write of the activation: refused once a write has failed (a write queued behind the failed one would store
    /// later changes without the lost ones); a failure is remembered and <paramref name="stepDown"/> runs before it is thrown.
    /// </summary>
    public async Task GuardAsync(Func<Task> write, Action stepDown)
    {
        ThrowIfHappened();
        try
        {
            await write();
        }
        catch (Exception error)
        {
            _failure ??= ExceptionDispatchInfo.Capture(error);
            stepDown();
            throw;
        }
    }
}
