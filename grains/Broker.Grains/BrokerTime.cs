namespace Broker.Grains;

/// <summary>
/// The broker's clock is a keyed <see cref="TimeProvider"/>: holds, leases and billing read it, so tests
/// can move it, while Orleans' own timers, membership and reminders keep the real one.
/// </summary>
public static class BrokerTime
{
    public const string Key = "broker";
}
