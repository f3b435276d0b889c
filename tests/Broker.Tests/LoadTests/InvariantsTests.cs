using Broker.LoadTests.Running;

namespace Broker.Tests.LoadTests;

/// <summary>The load harness's invariants do not hold for a run that served nothing or missed a capacity sample.</summary>
public sealed class InvariantsTests
{
    private static readonly Invariants Sound = new(CapacitySamples: 5, FailedCapacitySamples: 0, OvercommittedPoolSamples: 0, UnresolvedRequests: 0, AllocatedAfterCleanup: 0, Served: 10);

    [Fact]
    public void SoundRun_Holds() => Assert.True(Sound.Hold);

    [Fact]
    public void NothingServed_DoesNotHold() => Assert.False((Sound with { Served = 0 }).Hold);

    [Fact]
    public void OneCapacitySampleFailed_DoesNotHold() => Assert.False((Sound with { FailedCapacitySamples = 1 }).Hold);

    [Fact]
    public void NoCapacitySample_DoesNotHold() => Assert.False((Sound with { CapacitySamples = 0 }).Hold);

    [Fact]
    public void Overcommitted_Unresolved_OrLeftAllocated_DoesNotHold()
    {
        Assert.False((Sound with { OvercommittedPoolSamples = 1 }).Hold);
        Assert.False((Sound with { UnresolvedRequests = 1 }).Hold);
        Assert.False((Sound with { AllocatedAfterCleanup = 1 }).Hold);
        Assert.True((Sound with { AllocatedAfterCleanup = 1, Released = false }).Hold);
    }
}
