using Broker.DataCenters;
using Broker.Federation;
using Broker.Grains.DataCenters;
using Broker.Requests;

namespace Broker.Tests.Units;

public sealed class CapacityBookTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 8, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(Priority.Normal, 100, 0, 1.0, 100)]
    [InlineData(Priority.Normal, 100, 30, 1.0, 70)]
    [InlineData(Priority.High, 100, 30, 1.0, 100)]
    [InlineData(Priority.Normal, 100, 0, 1.5, 150)]
    [InlineData(Priority.Normal, 3, 0, 1.5, 4)]
    public void TryHold_UpToWhatThePoolMayGive_NeverOneUnitMore(Priority priority, long total, long headroom, double ratio, long mayGive)
    {
        var book = Book(new PoolDefinition { Resource = "storage.ssd", Total = total, Headroom = headroom, AllocationRatio = ratio });

        var fits = book.TryHold(Hold("r1", mayGive, priority), Now.AddSeconds(10));
        var beyond = book.TryHold(Hold("r2", 1, priority), Now.AddSeconds(10));

        Assert.NotNull(fits.Hold);
        Assert.Equal((null, DeclineReasons.CapacityHeld), (beyond.Hold, beyond.DeclineReason));
        Assert.Equal(mayGive, book.InUse("storage.ssd"));
    }

    [Fact]
    public void TryHold_OneItemDoesNotFit_HoldsNothingAtAll()
    {
        var book = Book(new PoolDefinition { Resource = "storage.ssd", Total = 100 }, new PoolDefinition { Resource = "compute.vcpu", Total = 4 });

        var result = book.TryHold(new HoldRequest { RequestId = "r", Items = [new RequestItem("storage.ssd", 50), new RequestItem("compute.vcpu", 5)] }, Now.AddSeconds(10));

        Assert.Equal((null, DeclineReasons.InsufficientCapacity), (result.Hold, result.DeclineReason));
        Assert.Equal((0L, 0L), (book.InUse("storage.ssd"), book.InUse("compute.vcpu")));
    }

    [Fact]
    public void TryHold_PartialStorage_TakesWhatIsFreeInWholeSteps()
    {
        var book = Book(new PoolDefinition { Resource = "storage.ssd", Total = 105, Step = 10, MinUnit = 10 });

        var result = book.TryHold(new HoldRequest { RequestId = "r", Items = [new RequestItem("storage.ssd", 500)], AllowPartialStorage = true }, Now.AddSeconds(10));

        Assert.Equal(100, result.Hold!.Items.Single().Amount);
    }

    [Theory]
    [InlineData(5, DeclineReasons.UnitMismatch)]
    [InlineData(15, DeclineReasons.UnitMismatch)]
    [InlineData(2000, DeclineReasons.UnitMismatch)]
    public void TryHold_AmountBreaksTheUnitRules_Declined(long amount, string reason)
    {
        var book = Book(new PoolDefinition { Resource = "storage.ssd", Total = 10_000, MinUnit = 10, MaxUnit = 1000, Step = 10 });

        Assert.Equal(reason, book.TryHold(Hold("r", amount), Now.AddSeconds(10)).DeclineReason);
    }

    [Fact]
    public void Holds_EndAtTheirTtl_AndAnEndedHoldCannotBeConfirmed()
    {
        var book = Book(new PoolDefinition { Resource = "storage.ssd", Total = 100 });
        var hold = book.TryHold(Hold("r", 60), Now.AddSeconds(10)).Hold!;

        book.PurgeExpired(Now.AddSeconds(9));
        Assert.Equal(60, book.InUse("storage.ssd"));
        book.PurgeExpired(Now.AddSeconds(10));

        Assert.Equal(0, book.InUse("storage.ssd"));
        Assert.False(book.Confirm(hold.Id, "r", Now.AddDays(1)));
    }

    [Fact]
    public void Confirm_Retried_AllocatesOnce()
    {
        var book = Book(new PoolDefinition { Resource = "storage.ssd", Total = 100 });
        var hold = book.TryHold(Hold("r", 60), Now.AddSeconds(10)).Hold!;

        Assert.True(book.Confirm(hold.Id, "r", Now.AddDays(1)));
        Assert.True(book.Confirm(hold.Id, "r", Now.AddDays(1)));

        Assert.Equal(60, book.InUse("storage.ssd"));
        Assert.Single(book.Allocations);
    }

    [Fact]
    public void Leases_EndAtTheirEnd_AndReleaseTwiceIsHarmless()
    {
        var book = Book(new PoolDefinition { Resource = "storage.ssd", Total = 100 });
        book.Confirm(book.TryHold(Hold("a", 10), Now.AddSeconds(10)).Hold!.Id, "a", Now.AddHours(1));
        book.Confirm(book.TryHold(Hold("b", 20), Now.AddSeconds(10)).Hold!.Id, "b", Now.AddHours(2));

        Assert.True(book.PurgeExpired(Now.AddHours(1)));
        Assert.Equal(20, book.InUse("storage.ssd"));
        Assert.True(book.Release("b"));
        Assert.False(book.Release("b"));
        Assert.Equal(0, book.InUse("storage.ssd"));
    }

    private static CapacityBook Book(params PoolDefinition[] pools) => new(pools, []);

    private static HoldRequest Hold(string requestId, long amount, Priority priority = Priority.Normal) =>
        new() { RequestId = requestId, Items = [new RequestItem("storage.ssd", amount)], Priority = priority };
}
