namespace Broker.Domain;

/// <summary>A request's priority; only <see cref="High"/> may use a pool's reserved headroom.</summary>
public enum Priority
{
    Normal = 0,
    High = 1,
}
