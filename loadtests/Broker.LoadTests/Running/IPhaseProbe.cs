using System.Collections.Concurrent;
using System.Diagnostics;

namespace Broker.LoadTests.Running;

/// <summary>
/// Something an operator does during a phase, on the phase's clock (a data center's drain): it may add events to the
/// phase, and the phase waits for it before it asks again about open requests and releases everything.
/// </summary>
public interface IPhaseProbe
{
    Task RunAsync(Stopwatch clock, ConcurrentQueue<PhaseEvent> events, CancellationToken cancellationToken);
}
