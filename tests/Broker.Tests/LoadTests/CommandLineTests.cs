using Broker.LoadTests;
using Broker.LoadTests.Demand;

namespace Broker.Tests.LoadTests;

/// <summary>The harness's command line: what a run gets from the options it leaves out.</summary>
public sealed class CommandLineTests
{
    public static TheoryData<string, double> ScenarioRates => new()
    {
        { "steady", 200 },
        { "election-night", 60 },
        { "storage-burst", 200 },
        { "provider-outage", 40 },
        { "fill", 200 },
        { "election-booked", 60 },
        { "drain", 200 },
    };

    [Theory]
    [MemberData(nameof(ScenarioRates))]
    public void Parse_RateLeftOut_TakesTheScenariosDefault(string scenario, double expected)
    {
        var (parsed, options) = LoadTestCommandLine.Parse(["--scenario", scenario, "--duration", "5", "--in-process", "--out", "/tmp/unused"]);

        Assert.True(options is not null, $"the command line was refused: {string.Join("; ", parsed.Errors.Select(e => e.Message))}");
        Assert.Equal(expected, options.Rate);
        Assert.Equal(Scenarios.DefaultRate(options.Scenario), options.Rate);
    }

    [Theory]
    [InlineData("election-booked")]
    [InlineData("drain")]
    public void Parse_GrainScenarioWithTarget_IsRefused(string scenario)
    {
        var (parsed, options) = LoadTestCommandLine.Parse(["--scenario", scenario, "--duration", "5", "--target", "http://127.0.0.1:5081", "--out", "/tmp/unused"]);

        Assert.Null(options);
        Assert.Contains(parsed.Errors, e => e.Message == $"--scenario {scenario} drives the broker's grains (reservations, drains): use --in-process");
    }

    [Fact]
    public void Parse_RateGiven_TakesTheGivenRate()
    {
        var (_, options) = LoadTestCommandLine.Parse(["--scenario", "election-night", "--duration", "5", "--rate", "75", "--in-process", "--out", "/tmp/unused"]);

        Assert.Equal(75, options!.Rate);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("100001")]
    public void Parse_RateOutOfRange_IsRefused(string rate)
    {
        var (parsed, options) = LoadTestCommandLine.Parse(["--scenario", "steady", "--duration", "5", "--rate", rate, "--in-process", "--out", "/tmp/unused"]);

        Assert.Null(options);
        Assert.Contains(parsed.Errors, e => e.Message == "--rate must be above 0 and at most 100,000 requests/s");
    }
}
