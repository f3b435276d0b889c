using Broker.LoadTests;
using Broker.LoadTests.Demand;

namespace Broker.Tests.LoadTests;

/// <summary>
/// The harness's election-booked and drain scenarios for a few seconds against an embedded broker: what their reports
/// must show whatever the speed. Booked ahead, every confirmed reservation becomes its allocation at start by itself;
/// a drain under load moves what it can, nothing lands there again, and no authority sees its request change.
/// </summary>
public sealed class ReservationsAndDrainSmokeTests : IDisposable
{
    private readonly TempDirectory _directory = new("smoke-booked");

    [Fact]
    public async Task ElectionBooked_EveryConfirmedReservationBecomesItsAllocation_EveryoneElseAskedAlike()
    {
        var result = await LoadTest.RunAsync(Options(ScenarioKind.ElectionBooked), new StringWriter());

        Assert.Equal(["as-it-comes", "booked-ahead"], result.Phases.Select(p => p.Name));
        Assert.All(result.Phases, p => Assert.True(p.Invariants.Hold, $"{p.Name}: {p.Invariants}"));
        var asItComes = result.Phases[0].Election!;
        var bookedAhead = result.Phases[1].Election!;
        var booking = result.Booking!;
        Assert.True(asItComes.SpikeAsked > 0, "the plan holds spike asks");
        Assert.Equal(asItComes.SpikeAsked, booking.Pass.Asked);
        Assert.Equal(0, bookedAhead.SpikeAsked);
        Assert.Equal(asItComes.OrdinaryAsked, bookedAhead.OrdinaryAsked);
        Assert.True(booking.Pass.Confirmed > 0, $"nothing was booked: {booking}");
        Assert.Equal(booking.Pass.Asked, booking.Pass.Confirmed + booking.Pass.RejectedByCode.Values.Sum() + booking.Pass.Failed);
        Assert.Equal(booking.Pass.Confirmed, booking.Pass.ConfirmedByTier.Values.Sum());
        Assert.Equal(booking.Pass.Confirmed, booking.Converted);
        Assert.Equal(0, booking.ConfirmedNotConverted);
        Assert.Contains($"## Election night in {result.SpikeState}: as it comes vs booked ahead", File.ReadAllText(Path.Combine(_directory.Path, "summary.md")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Drain_UnderLoad_MovesWhatItHolds_NothingLandsAgain_NobodyNotices()
    {
        var result = await LoadTest.RunAsync(Options(ScenarioKind.Drain), new StringWriter());

        var phase = Assert.Single(result.Phases);
        Assert.True(phase.Invariants.Hold, phase.Invariants.ToString());
        var drain = result.Drain!;
        var context = $"{drain.Run with { Samples = [] }}";
        Assert.True(drain.Run.Held > 0 && drain.Run.Moved > 0, $"nothing to move: {context}");
        Assert.NotNull(drain.Run.SecondsToDrained);
        Assert.Equal(drain.Run.StuckByReason.Values.Sum(), drain.Run.MostHeldAfterDrained);
        Assert.Equal(drain.Run.MovedByTheEnd, drain.MovedAtRelease);
        Assert.True(drain.Noticed == 0, $"{drain.Noticed} noticed: {string.Join("; ", drain.NoticedExamples)}");
        Assert.Contains(phase.Events, e => e.What.StartsWith($"drain of {drain.Run.DataCenter} ", StringComparison.Ordinal) && e.What.EndsWith(" started", StringComparison.Ordinal));
        Assert.Contains(phase.Events, e => e.What == $"drain of {drain.Run.DataCenter} ended");
        Assert.Contains($"## Drain of {drain.Run.DataCenter}", File.ReadAllText(Path.Combine(_directory.Path, "summary.md")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ScenarioKind.ElectionBooked)]
    [InlineData(ScenarioKind.Drain)]
    public async Task GrainScenario_AgainstATarget_RefusedWithReason(ScenarioKind scenario)
    {
        var options = Options(scenario) with { Target = new Uri("http://127.0.0.1:1") };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => LoadTest.RunAsync(options, new StringWriter()));

        Assert.Contains("--in-process", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _directory.Dispose();

    private LoadTestOptions Options(ScenarioKind scenario) => new()
    {
        Scenario = scenario,
        Duration = TimeSpan.FromSeconds(6),
        Rate = 30,
        Tenants = 24,
        OutDirectory = _directory.Path,
        WarmUp = TimeSpan.FromSeconds(1),
        CeilingDuration = TimeSpan.Zero,
    };
}
