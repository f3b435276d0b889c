using Broker.DataCenters;
using Broker.Federation;
using Broker.Grains.DataCenters;
using Broker.Grains.Time;
using Broker.Requests;

namespace Broker.Tests.Units;

/// <summary>
/// The time-aware side of a data center's book: windows booked ahead at their edges (touching, overlapping, exactly
/// full), ordinary grants whose lease reaches into a reserved window, renewals into one, and the start that turns a
/// booking into its request's allocation.
/// </summary>
public sealed class TimeAwareBookTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 8, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Day1 = Now.AddDays(1);
    private static readonly DateTimeOffset Day2 = Now.AddDays(2);
    private static readonly DateTimeOffset Day3 = Now.AddDays(3);

    [Fact]
    public void Timeline_MostBookedInAWindow_EndsExclusive_TouchingWindowsDoNotAddUp()
    {
        var timeline = new ReservedTimeline();
        timeline.Add(Day1, Day2, 600, +1);
        timeline.Add(Day2, Day3, 300, +1);
        timeline.Add(Day1.AddHours(12), Day2.AddHours(12), 100, +1);

        Assert.Equal(0, timeline.Most(Now, Day1));
        Assert.Equal(600, timeline.Most(Now, Day1.AddHours(1)));
        Assert.Equal(700, timeline.Most(Now, Day3));
        Assert.Equal(400, timeline.Most(Day2, Day3));
        Assert.Equal(300, timeline.Most(Day2.AddHours(12), Day3));
        Assert.Equal(0, timeline.Most(Day3, Day3.AddDays(1)));
        timeline.Add(Day1.AddHours(12), Day2.AddHours(12), 100, -1);
        Assert.Equal(600, timeline.Most(Now, Day3));
    }

    [Fact]
    public void TryReserve_ExactlyFull_Fits_OneMoreOverlapping_Declined_TouchingAfter_Fits()
    {
        var book = Book(1_000);

        var first = book.TryReserve(Ask("v-1", 600, Day1, Day2));
        var exactlyFull = book.TryReserve(Ask("v-2", 400, Day1, Day2));
        var overlapping = book.TryReserve(Ask("v-3", 1, Day1.AddHours(23), Day3));
        var touchingAfter = book.TryReserve(Ask("v-4", 1_000, Day2, Day3));
        var touchingBefore = book.TryReserve(Ask("v-5", 1_000, Now.AddHours(1), Day1));

        Assert.All(new[] { first, exactlyFull, touchingAfter, touchingBefore }, r => Assert.Null(r.DeclineReason));
        Assert.Equal((null, DeclineReasons.InsufficientCapacity), (overlapping.Booked, overlapping.DeclineReason));
        Assert.Equal(4, book.ReservedCount);
        Assert.Equal(0, book.InUse("storage.ssd"));
    }

    [Fact]
    public void Grant_LeaseOverlappingAReservedWindow_TakesOnlyWhatIsNotReserved_ALeaseEndingAtItsStartTakesAll()
    {
        var book = Book(1_000);
        book.PurgeExpired(Now);
        Assert.Null(book.TryReserve(Ask("v-1", 700, Day1, Day2)).DeclineReason);

        var overlapping = book.TryAllocate(Request("r-1", 301), Day1.AddHours(1));
        var fitsBeside = book.TryAllocate(Request("r-2", 300), Day1.AddHours(1));
        var holdOverlapping = book.TryHold(Request("r-4", 1) with { Until = Day2 }, Now.AddSeconds(10));
        var endsAtStart = book.TryAllocate(Request("r-3", 700), Day1);

        Assert.Equal((null, DeclineReasons.CapacityReserved), (overlapping.Allocation, overlapping.DeclineReason));
        Assert.Null(fitsBeside.DeclineReason);
        Assert.Null(endsAtStart.DeclineReason);
        Assert.Equal(DeclineReasons.CapacityReserved, holdOverlapping.DeclineReason);
        Assert.Equal(1_000, book.InUse("storage.ssd"));
    }

    [Fact]
    public void Reserve_BesideAllocationsReachingIntoTheWindow_ThoseEndingDaysBeforeDoNotCount()
    {
        var book = Book(1_000);
        book.PurgeExpired(Now);
        Assert.Null(book.TryAllocate(Request("r-early", 600), Now.AddHours(6)).DeclineReason);
        Assert.Null(book.TryAllocate(Request("r-late", 300), Day3).DeclineReason);

        var beside = book.TryReserve(Ask("v-1", 700, Day2, Day3));
        var tooMuch = book.TryReserve(Ask("v-2", 1, Day2, Day3));

        Assert.Null(beside.DeclineReason);
        Assert.Equal(DeclineReasons.InsufficientCapacity, tooMuch.DeclineReason);
    }

    [Fact]
    public void TryExtend_IntoAReservedWindowWithoutRoom_Refused_LeaseUnchanged_UpToItsStart_Extended()
    {
        var book = Book(1_000);
        book.PurgeExpired(Now);
        Assert.Null(book.TryAllocate(Request("r-1", 400), Now.AddHours(1)).DeclineReason);
        Assert.Null(book.TryReserve(Ask("v-1", 700, Day1, Day2)).DeclineReason);

        var intoWindow = book.TryExtend("r-1", Day1.AddHours(1));
        var leaseAfterRefusal = book.Allocations["r-1"].LeaseExpiresAt;
        var upToStart = book.TryExtend("r-1", Day1);
        var notHeld = book.TryExtend("r-none", Day1);

        Assert.Equal((LeaseExtension.CapacityReserved, Now.AddHours(1)), (intoWindow, leaseAfterRefusal));
        Assert.Equal((LeaseExtension.Extended, Day1), (upToStart, book.Allocations["r-1"].LeaseExpiresAt));
        Assert.Equal(LeaseExtension.NotHeld, notHeld);
    }

    [Fact]
    public void Start_TheBookingBecomesTheRequestsAllocationUntilTheWindowsEnd_InOneWrite_Unacknowledged()
    {
        var book = Book(1_000);
        book.PurgeExpired(Now);
        Assert.Null(book.TryReserve(Ask("v-0123", 250, Day1, Day2)).DeclineReason);
        book.Acknowledge("v-0123");
        book.TakeChanges();

        book.PurgeExpired(Day1);

        var allocation = book.Allocations["r-0123"];
        Assert.Equal(new[] { ("v-0123", "r-0123") }, book.TakeStarted());
        Assert.Equal((250L, Day2, "v-0123", false, (DateTimeOffset?)null), (allocation.Items.Single().Amount, allocation.LeaseExpiresAt, allocation.Reservation, allocation.Acknowledged, allocation.Start));
        Assert.Equal(["r-0123", "v-0123"], book.TakeChanges().Select(c => c.Key).Order(StringComparer.Ordinal));
        Assert.Equal((0, 250L, "v-0123"), (book.ReservedCount, book.InUse("storage.ssd"), book.ReservationOf("r-0123")));
    }

    [Fact]
    public void Load_ABookingAndAnAllocationFromStoredRows_TheWindowStillCounts()
    {
        StoredAllocation booked = new([new RequestItem("storage.ssd", 900)], Day2, Acknowledged: true) { Start = Day1 };
        var book = new CapacityBook([Pool(1_000)], [KeyValuePair.Create("v-9", booked)]);
        book.PurgeExpired(Now);

        Assert.Equal(DeclineReasons.InsufficientCapacity, book.TryReserve(Ask("v-10", 101, Day1, Day2)).DeclineReason);
        Assert.Equal(DeclineReasons.CapacityReserved, book.TryAllocate(Request("r-1", 101), Day1.AddSeconds(1)).DeclineReason);
        Assert.Equal(Day1, book.NextEnd);
    }

    private static CapacityBook Book(long total) => new([Pool(total)], []);

    private static PoolDefinition Pool(long total) => new() { Resource = "storage.ssd", Total = total };

    private static ReservationAsk Ask(string id, long amount, DateTimeOffset start, DateTimeOffset end) =>
        new() { ReservationId = id, Items = [new RequestItem("storage.ssd", amount)], Start = start, End = end };

    private static HoldRequest Request(string id, long amount) => new() { RequestId = id, Items = [new RequestItem("storage.ssd", amount)] };
}
