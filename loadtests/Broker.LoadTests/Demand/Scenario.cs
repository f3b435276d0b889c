namespace Broker.LoadTests.Demand;

/// <summary>The shapes of demand the harness knows. Each is a rate per tenant over time plus, for some, extra events.</summary>
public enum ScenarioKind
{
    /// <summary>Every tenant at its base rate for the whole run.</summary>
    Steady,

    /// <summary>One state's authorities at 20× their base rate from 30 % to 70 % of the run.</summary>
    ElectionNight,

    /// <summary>Base load plus a few storage requests larger than any single data center's pool.</summary>
    StorageBurst,

    /// <summary>Base load against a multi-process cluster; one provider's silo stops at a third of the run and comes back at two thirds.</summary>
    ProviderOutage,

    /// <summary>A closed loop of small asks that are kept, until a target number of allocations is live: does a decision cost the same in a full federation?</summary>
    Fill,

    /// <summary>Election night twice: the spike as it comes, then the same spike booked ahead as reservations (in-process).</summary>
    ElectionBooked,

    /// <summary>Steady load with long holds; at a third of the run the busiest data center is drained (in-process).</summary>
    Drain,
}

public static class Scenarios
{
    public const double SpikeFactor = 20;
    public const double SpikeStart = 0.3;
    public const double SpikeEnd = 0.7;
    public const double OutageStart = 1.0 / 3;
    public const double OutageEnd = 2.0 / 3;
    public const double DrainStart = 1.0 / 3;

    /// <summary>
    /// drain: allocations are held this many times longer (and pools sized for it), so the drained data center holds
    /// thousands of them, not the few a three-second hold leaves; a real one holds its allocations for months.
    /// </summary>
    public const double DrainHoldScale = 10;

    /// <summary>
    /// Requests per second of all authorities at base rate when <c>--rate</c> is left out: the rates the documented
    /// runs use. Election night multiplies one state's share by <see cref="SpikeFactor"/>, so its base is lower; a
    /// provider outage runs against three durable silos. Fill is a closed loop: its rate only sizes the load world.
    /// </summary>
    public static double DefaultRate(ScenarioKind kind) => kind switch
    {
        ScenarioKind.ElectionNight or ScenarioKind.ElectionBooked => 60,
        ScenarioKind.ProviderOutage => 40,
        ScenarioKind.Steady or ScenarioKind.StorageBurst or ScenarioKind.Fill or ScenarioKind.Drain => 200,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "a scenario without a default rate"),
    };

    /// <summary>Whether one state's authorities spike from <see cref="SpikeStart"/> to <see cref="SpikeEnd"/> of the run.</summary>
    public static bool Spikes(ScenarioKind kind) => kind is ScenarioKind.ElectionNight or ScenarioKind.ElectionBooked;

    /// <summary>The whole seconds of a run of <paramref name="seconds"/> that spike: [from, to), the first at or after 30 %, the first at or after 70 %.</summary>
    public static (int From, int To) SpikeSeconds(int seconds) => ((int)Math.Ceiling(seconds * SpikeStart), (int)Math.Ceiling(seconds * SpikeEnd));

    /// <summary>The scenarios that drive the broker's grains directly (reservations, drains): they need <c>--in-process</c>.</summary>
    public static bool InProcessOnly(ScenarioKind kind) => kind is ScenarioKind.ElectionBooked or ScenarioKind.Drain;

    /// <summary>How much longer than usual a scenario's authorities hold what they get.</summary>
    public static double HoldScale(ScenarioKind kind) => kind == ScenarioKind.Drain ? DrainHoldScale : 1;

    // Spelled as the API spells its enums, so that a scenario reads like everything else on the command line.
    public static string Name(ScenarioKind kind) => Contracts.ApiEnums.Kebab(kind);

    public static bool TryParse(string text, out ScenarioKind kind) => Contracts.ApiEnums.TryParse(text, out kind);
}
