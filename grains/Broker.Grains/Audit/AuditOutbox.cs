using Broker.Audit;
using Microsoft.Extensions.Logging;

namespace Broker.Grains.Audit;

/// <summary>
/// A grain's audit events that are stored with the change they record (in the same state write) and not yet
/// known to be in the trail. Sent to their chains after the write; when a chain cannot be reached the change
/// stands, and the events are sent again on the owner's next call, timer or activation — so a change is never
/// without its entry, and an entry never without its change. The list itself lives in the owner's state.
/// </summary>
internal sealed partial class AuditOutbox(IGrainFactory grains, ILogger logger, string owner, Func<AuditEvent[]> pending, Action<AuditEvent[]> setPending)
{
    /// <summary>
    /// The trail acknowledged events that the stored state still lists as pending. Harmless (a chain skips an event
    /// id it recently recorded), but the owner writes its state on deactivation when set, to keep repeats rare.
    /// </summary>
    public bool HasUnsavedAcknowledgements { get; private set; }

    // Events added in this activation and never sent yet: only these cannot be in the trail already.
    private readonly HashSet<string> _unsent = new(StringComparer.Ordinal);

    /// <summary>Adds an event; the owner's next state write stores it with the change it records.</summary>
    public void Add(AuditEvent audited)
    {
        setPending([.. pending(), audited]);
        _unsent.Add(audited.EventId);
    }

    /// <summary>The owner's state as now in memory is being written (or was): acknowledgements are no longer unsaved.</summary>
    public void MarkSaved() => HasUnsavedAcknowledgements = false;

    /// <summary>Sends what is pending; a failure is logged, the events stay pending.</summary>
    public async Task SendAsync()
    {
        var sending = pending();
        if (sending.Length == 0)
        {
            return;
        }

        // Anything loaded from storage, or sent before without an answer, may have arrived: the chains look it up.
        var again = sending.Any(e => !_unsent.Contains(e.EventId));
        _unsent.ExceptWith(sending.Select(e => e.EventId));
        try
        {
            await AuditChains.AppendAsync(grains, sending, again);

            // Only what was sent: in a reentrant owner another turn may have added an event meanwhile.
            setPending(pending().Where(e => !sending.Contains(e)).ToArray());
            HasUnsavedAcknowledgements = true;
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            LogSendFailed(logger, sending.Length, owner, error);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The audit trail could not record {Count} events of {Owner}; they are sent again on its next call")]
    private static partial void LogSendFailed(ILogger logger, int count, string owner, Exception error);
}
