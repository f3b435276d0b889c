using Broker.LoadTests.Demand;

namespace Broker.LoadTests;

/// <summary>One run's settings, as the command line gives them.</summary>
public sealed record LoadTestOptions
{
    public ScenarioKind Scenario { get; init; } = ScenarioKind.Steady;

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Requests per second of all authorities together at their base rate.</summary>
    public double Rate { get; init; } = 200;

    /// <summary>A running broker's URL; null means an embedded broker (<c>--in-process</c>).</summary>
    public Uri? Target { get; init; }

    public string OutDirectory { get; init; } = "loadtest-results";

    public int Seed { get; init; } = 42;

    public int Tenants { get; init; } = 80;

    /// <summary>Data centers in the load world; null: the demo federation's 18.</summary>
    public int? DataCenters { get; init; }

    /// <summary>Run the same demand a second time with every provider limited to its own capacity.</summary>
    public bool Compare { get; init; } = true;

    /// <summary>
    /// Load run first and thrown away, so that no phase pays for the JIT compiling and the caches filling:
    /// without it the first phase starts behind and compares unfairly with the second.
    /// </summary>
    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Measure the closed-loop decision rate beside a trivial call.</summary>
    public TimeSpan CeilingDuration { get; init; } = TimeSpan.FromSeconds(5);

    public int CeilingWorkers { get; init; } = 64;

    /// <summary>The federation admin's token on the target, to add the load world.</summary>
    public string AdminToken { get; init; } = "demo-federation-admin";

    /// <summary>Election night's state; default: the state with the most base demand.</summary>
    public string? SpikeState { get; init; }

    /// <summary>The provider whose silo the provider-outage scenario stops; default: one not behind <see cref="Target"/>.</summary>
    public string? OutageProvider { get; init; }

    /// <summary>Never release an allocation during a phase, only at its end (fill always keeps).</summary>
    public bool Keep { get; init; }

    /// <summary>fill: how many live allocations to reach.</summary>
    public int TargetAllocations { get; init; } = 100_000;

    /// <summary>fill: requests in flight at once (closed loop).</summary>
    public int Concurrency { get; init; } = 64;

    /// <summary>fill: how long to wait after the fill before reading the silo's memory once more.</summary>
    public TimeSpan SettleSeconds { get; init; } = TimeSpan.Zero;

    /// <summary>fill: release everything kept at the end (<c>--no-release</c> leaves it allocated).</summary>
    public bool Release { get; init; } = true;

    /// <summary>The script that stops and starts silos (<c>stop-silo</c> / <c>start-silo</c> / <c>status</c>).</summary>
    public string ClusterScript { get; init; } = "deploy/local-cluster.sh";
}
