namespace Broker.LoadTests.Targets;

/// <summary>A grain that does nothing: the cost of one Orleans call on this machine, the ceiling for a decision's cost.</summary>
public interface ICeilingGrain : IGrainWithIntegerKey
{
    Task<int> EchoAsync(int value);
}

public sealed class CeilingGrain : Grain, ICeilingGrain
{
    public Task<int> EchoAsync(int value) => Task.FromResult(value);
}
