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
        Assert.False(book.Confirm(hold.Id, "r", Guid.Empty, Now.AddDays(1)));
    }

    [Fact]
    public void Confirm_Retried_AllocatesOnce()
    {
        var book = Book(new PoolDefinition { Resource = "storage.ssd", Total = 100 });
        var hold = book.TryHold(Hold("r", 60), Now.AddSeconds(10)).Hold!;

        Assert.True(book.Confirm(hold.Id, "r", Guid.Empty, Now.AddDays(1)));
        Assert.True(book.Confirm(hold.Id, "r", Guid.Empty, Now.AddDays(1)));

        Assert.Equal(60, book.InUse("storage.ssd"));
        Assert.Single(book.Allocations);
    }

    [Fact]
    public void Leases_EndAtTheirEnd_AndReleaseTwiceIsHarmless()
    {
        var book = Book(new PoolDefinition { Resource = "storage.ssd", Total = 100 });
        book.Confirm(book.TryHold(Hold("a", 10), Now.AddSeconds(10)).Hold!.Id, "a", Guid.Empty, Now.AddHours(1));
        book.Confirm(book.TryHold(Hold("b", 20), Now.AddSeconds(10)).Hold!.Id, "b", Guid.Empty, Now.AddHours(2));

        Assert.Equal(["a"], book.PurgeExpired(Now.AddHours(1)));
        Assert.Equal(20, book.InUse("storage.ssd"));
        Assert.True(book.Release("b"));
        Assert.False(book.Release("b"));
        Assert.Equal(0, book.InUse("storage.ssd"));
    }

    [Fact]
    public void TryAllocate_FitsAndRetried_AllocatesOnceAndHoldsNothing()
    {
        var book = Book(new PoolDefinition { Resource = "storage.ssd", Total = 100 });

        var first = book.TryAllocate(Hold("r", 60), Now.AddHours(1));
        var retry = book.TryAllocate(Hold("r", 60), Now.AddHours(1));
        var beyond = book.TryAllocate(Hold("s", 41), Now.AddHours(1));

        Assert.Equal(60, first.Allocation!.Items.Single().Amount);
        Assert.Same(first.Allocation, retry.Allocation);
        Assert.Equal(DeclineReasons.InsufficientCapacity, beyond.DeclineReason);
        Assert.Equal((60L, 0), (book.InUse("storage.ssd"), book.HoldCount));
    }

    [Fact]
    public void LeaseEnded_CapacityBackAtOnce_RecordKeptUntilTheRequestReleasesIt()
    {
        var book = Book(new PoolDefinition { Resource = "storage.ssd", Total = 100 });
        book.TryAllocate(Hold("r", 70), Now.AddHours(1));
        book.TakeChanges();

        Assert.Equal(["r"], book.PurgeExpired(Now.AddHours(1)));

        Assert.Equal(0, book.InUse("storage.ssd"));
        Assert.Equal(["r"], book.Ended.Keys);
        Assert.Empty(book.TakeChanges());
        Assert.True(book.Release("r"));
        Assert.Equal([KeyValuePair.Create("r", (StoredAllocation?)null)], book.TakeChanges());
        Assert.Empty(book.Ended);
    }

    [Fact]
    public void Renew_MovesTheLeaseEnd_TheOldEndNoLongerEndsIt()
    {
        var book = Book(new PoolDefinition { Resource = "storage.ssd", Total = 100 });
        book.TryAllocate(Hold("r", 10), Now.AddHours(1));

        Assert.True(book.Renew("r", Now.AddHours(3)));

        Assert.Empty(book.PurgeExpired(Now.AddHours(2)));
        Assert.Equal(Now.AddHours(3), book.NextEnd);
        Assert.Equal(["r"], book.PurgeExpired(Now.AddHours(3)));
        Assert.False(book.Renew("r", Now.AddHours(5)));
    }

    [Fact]
    public void Changes_OnlyWhatChangedSinceTheLastWrite_NeverTheWholeBook()
    {
        var loaded = Enumerable.Range(0, 1_000).Select(i => KeyValuePair.Create($"old-{i}", new StoredAllocation([new RequestItem("storage.ssd", 1)], Now.AddDays(1), Acknowledged: true)));
        var book = new CapacityBook([new PoolDefinition { Resource = "storage.ssd", Total = 10_000 }], loaded);

        book.TryAllocate(Hold("new", 5), Now.AddHours(1));
        book.Release("old-7");

        Assert.Equal(["new", "old-7"], book.TakeChanges().Select(c => c.Key).Order(StringComparer.Ordinal));
        Assert.Equal(1_000 - 1 + 5, book.InUse("storage.ssd"));
    }

    [Fact]
    public void Unacknowledged_AskedAboutOnlyAfterAWholeRound_AndNotOnceAcknowledged()
    {
        var book = Book(new PoolDefinition { Resource = "storage.ssd", Total = 100 });
        book.TryAllocate(Hold("quick", 1), Now.AddHours(1));
        book.TryAllocate(Hold("orphan", 1), Now.AddHours(1));

        Assert.Empty(book.NextCheckRound());
        book.Acknowledge("quick");
        book.TryAllocate(Hold("orphan", 1), Now.AddHours(2));
        Assert.Empty(book.NextCheckRound());

        Assert.Equal(["orphan"], book.NextCheckRound().Select(r => r.RequestId));
        Assert.True(book.Allocations["quick"].Acknowledged);
    }

    [Fact]
    public void TryAllocate_AgainAfterTheLeaseEndedHere_GrantedAfreshWithTheNewLease()
    {
        var book = Book(new PoolDefinition { Resource = "storage.ssd", Total = 100 });
        book.TryAllocate(Hold("r", 40), Now.AddHours(1));
        book.PurgeExpired(Now.AddHours(1));

        var again = book.TryAllocate(Hold("r", 40), Now.AddHours(3));

        Assert.Equal(Now.AddHours(3), again.Allocation!.LeaseExpiresAt);
        Assert.Equal((40L, 0), (book.InUse("storage.ssd"), book.Ended.Count));
    }

    [Fact]
    public void ReleaseUnwanted_HandedOutAgainSinceTheQuestion_Kept()
    {
        var book = Book(new PoolDefinition { Resource = "storage.ssd", Total = 100 });
        book.TryAllocate(Hold("r", 10), Now.AddHours(1));
        book.NextCheckRound();
        var (requestId, round) = Assert.Single(book.NextCheckRound());

        book.TryAllocate(Hold("r", 10), Now.AddHours(1));

        Assert.False(book.ReleaseUnwanted(requestId, round));
        Assert.Equal(10, book.InUse("storage.ssd"));
    }

    [Fact]
    public void LeaseOrder_AllocateAndReleaseMany_StaysTheSizeOfWhatIsLive()
    {
        var book = Book(new PoolDefinition { Resource = "storage.ssd", Total = 100 });
        for (var i = 0; i < 50_000; i++)
        {
            book.TryAllocate(Hold($"r{i}", 1), Now.AddDays(30));
            book.Release($"r{i}");
            book.PurgeExpired(Now);
        }

        Assert.True(book.ScheduledLeaseEnds <= 1_024 + 1, $"the lease order holds {book.ScheduledLeaseEnds} entries for 0 live allocations");
    }

    // Two activations of one request during a membership change negotiate side by side: the fault run saw one of
    // them give back, by request id, the allocation the other had just stored as its decision.
    [Fact]
    public void Confirm_AnotherNegotiationOfTheRequestAllocatedHere_RefusedAndThatAllocationKept()
    {
        var book = Book(new PoolDefinition { Resource = "storage.ssd", Total = 100 });
        var (winner, loser) = (Guid.NewGuid(), Guid.NewGuid());
        var second = book.TryHold(Hold("r", 30, attempt: loser), Now.AddSeconds(10)).Hold!; // held before the other allocated
        Assert.True(book.Confirm(book.TryHold(Hold("r", 60, attempt: winner), Now.AddSeconds(10)).Hold!.Id, "r", winner, Now.AddDays(1)));

        var confirmedBySecond = book.Confirm(second.Id, "r", loser, Now.AddDays(2));
        var retriedBySecond = book.Confirm(second.Id, "r", loser, Now.AddDays(2));
        var abandonedBySecond = book.Abandon("r", loser);

        Assert.Equal((false, false, false), (confirmedBySecond, retriedBySecond, abandonedBySecond));
        Assert.Equal(60, book.InUse("storage.ssd")); // the second's hold is given back, the first's allocation stands
        Assert.Equal((60L, Now.AddDays(1)), (book.Allocations["r"].Items.Single().Amount, book.Allocations["r"].LeaseExpiresAt));
        Assert.True(book.Abandon("r", winner));
        Assert.Equal(0, book.InUse("storage.ssd"));
    }

    [Fact]
    public void TryAllocateOrHold_AnotherNegotiationOfTheRequestAllocatedHere_ToldItIsNegotiatedElsewhere_SameNegotiationRetries()
    {
        var book = Book(new PoolDefinition { Resource = "storage.ssd", Total = 100 });
        var (first, other) = (Guid.NewGuid(), Guid.NewGuid());
        var allocated = book.TryAllocate(Hold("r", 60, attempt: first), Now.AddHours(1));

        var byOther = book.TryAllocate(Hold("r", 60, attempt: other), Now.AddHours(2));
        var retried = book.TryAllocate(Hold("r", 60, attempt: first), Now.AddHours(1));

        Assert.Equal((null, DeclineReasons.NegotiatedElsewhere), (byOther.Allocation, byOther.DeclineReason));
        Assert.Equal((null, DeclineReasons.NegotiatedElsewhere), book.TryHold(Hold("r", 10, attempt: other), Now.AddSeconds(10)));
        Assert.Same(allocated.Allocation, retried.Allocation);
        Assert.Equal(60, book.InUse("storage.ssd"));
    }

    [Fact]
    public void Abandon_AnEndedLeaseOfTheSameNegotiation_Removed_ReleaseByRequestRemovesAnyNegotiations()
    {
        var book = Book(new PoolDefinition { Resource = "storage.ssd", Total = 100 });
        var attempt = Guid.NewGuid();
        book.TryAllocate(Hold("ended", 10, attempt: attempt), Now.AddHours(1));
        book.TryAllocate(Hold("live", 20, attempt: attempt), Now.AddHours(3));
        book.PurgeExpired(Now.AddHours(2));

        Assert.False(book.Abandon("ended", Guid.NewGuid()));
        Assert.True(book.Abandon("ended", attempt));
        Assert.True(book.Release("live")); // a request's end gives back whatever it holds here
        Assert.Equal((0, 0, 0L), (book.Allocations.Count, book.Ended.Count, book.InUse("storage.ssd")));
    }

    private static CapacityBook Book(params PoolDefinition[] pools) => new(pools, []);

    private static HoldRequest Hold(string requestId, long amount, Priority priority = Priority.Normal, Guid attempt = default) =>
        new() { RequestId = requestId, Attempt = attempt, Items = [new RequestItem("storage.ssd", amount)], Priority = priority };
}
