using System.CommandLine;
using Broker.LoadTests.Demand;
using Broker.LoadTests.Targets;

namespace Broker.LoadTests;

/// <summary>
/// <c>dotnet run -c Release --project loadtests/Broker.LoadTests -- --scenario &lt;name&gt; --duration &lt;s&gt;
/// [--rate &lt;r/s&gt;] [--target &lt;url&gt; | --in-process] --out &lt;dir&gt;</c>, for <c>fill</c> also
/// <c>--target-allocations &lt;n&gt;</c>. Exits 0 when the invariants held, 2 when they did not, 1 for a wrong command line.
/// </summary>
public static class LoadTestCommandLine
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var (parsed, options) = Parse(args);
        if (options is null)
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        }

        var result = await LoadTest.RunAsync(options, output);
        await output.WriteLineAsync($"wrote {Path.GetFullPath(options.OutDirectory)}: result.json, summary.md, charts; invariants {(result.InvariantsHold ? "hold" : "VIOLATED")}");
        return result.InvariantsHold ? 0 : 2;
    }

    /// <summary>The run the command line asks for; null options when it asks for help or has errors (invoking the parse result prints them).</summary>
    public static (ParseResult Parsed, LoadTestOptions? Options) Parse(string[] args)
    {
        var scenario = new Option<string>("--scenario") { Description = "steady | election-night | election-booked | storage-burst | provider-outage | drain | fill", Required = true };
        scenario.AcceptOnlyFromAmong(Enum.GetValues<ScenarioKind>().Select(Scenarios.Name).ToArray());
        var duration = new Option<int>("--duration") { Description = "Seconds per phase (1-3600)", Required = true };
        // No DefaultValueFactory: the default depends on the scenario, so a rate left out is taken from it below.
        var rate = new Option<double>("--rate") { Description = "Requests per second of all authorities at base rate (default: per scenario, " + DefaultRates() + ")" };
        var target = new Option<string?>("--target") { Description = "A running broker on loopback, e.g. http://127.0.0.1:5081" };
        var inProcess = new Option<bool>("--in-process") { Description = "An embedded broker in this process, called through the Orleans client" };
        var outDir = new Option<string>("--out") { Description = "Where result.json, summary.md and the charts go", Required = true };
        var seed = new Option<int>("--seed") { Description = "Makes authorities and demand reproducible", DefaultValueFactory = _ => 42 };
        var tenants = new Option<int>("--tenants") { Description = "How many authorities", DefaultValueFactory = _ => 80 };
        var dataCenters = new Option<int?>("--datacenters") { Description = "Data centers in the load world (default: the demo federation's 18)" };
        var noCompare = new Option<bool>("--no-compare") { Description = "Skip the second phase with every provider on its own" };
        var warmUp = new Option<int>("--warmup") { Description = "Seconds of load run first and not counted", DefaultValueFactory = _ => 10 };
        var ceiling = new Option<int>("--ceiling") { Description = "Seconds each for the closed-loop ceiling (0: skip)", DefaultValueFactory = _ => 5 };
        var adminToken = new Option<string>("--admin-token") { Description = "The target's federation admin token [env: BROKER_ADMIN_TOKEN]", DefaultValueFactory = _ => "demo-federation-admin" };
        var spikeState = new Option<string?>("--spike-state") { Description = "Election night's state, e.g. DE-NW (default: the busiest)" };
        var outageProvider = new Option<string?>("--outage-provider") { Description = "provider-outage: whose silo to stop (default: one not under --target)" };
        var keep = new Option<bool>("--keep") { Description = "Never release an allocation during a phase, only at its end" };
        var targetAllocations = new Option<int>("--target-allocations") { Description = "fill: live allocations to reach (100-10,000,000)", DefaultValueFactory = _ => 100_000 };
        var concurrency = new Option<int>("--concurrency") { Description = "fill: requests in flight at once (1-1,024)", DefaultValueFactory = _ => 64 };
        var settle = new Option<int>("--settle-seconds") { Description = "fill: seconds to wait after the fill before reading memory again", DefaultValueFactory = _ => 0 };
        var noRelease = new Option<bool>("--no-release") { Description = "fill: leave everything kept allocated at the end" };
        var root = new RootCommand("Open-model load against the broker, with the federation and each provider on its own side by side.")
        {
            scenario, duration, rate, target, inProcess, outDir, seed, tenants, dataCenters, noCompare, warmUp, ceiling, adminToken, spikeState, outageProvider,
            keep, targetAllocations, concurrency, settle, noRelease,
        };
        root.Validators.Add(result =>
        {
            if ((result.GetValue(target) is null) == !result.GetValue(inProcess))
            {
                result.AddError("name exactly one of --target <url> or --in-process");
            }

            if (result.GetValue(target) is { } url && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || !IsLoopback(uri)))
            {
                result.AddError("--target must be an http URL on loopback (127.0.0.0/8 or localhost): load is never sent elsewhere");
            }

            if (result.GetValue(target) is not null && Scenarios.TryParse(result.GetValue(scenario) ?? "", out var kind) && Scenarios.InProcessOnly(kind))
            {
                result.AddError($"--scenario {Scenarios.Name(kind)} drives the broker's grains (reservations, drains): use --in-process");
            }

            if (result.GetValue(duration) is < 1 or > 3600)
            {
                result.AddError("--duration must be 1 to 3600 seconds");
            }

            if (result.GetValue(dataCenters) is < 9 or > 20_000)
            {
                result.AddError("--datacenters must be 9 (one per provider) to 20,000");
            }

            // A command's validator sees an option left out as default(T), not as its DefaultValueFactory's value
            // (System.CommandLine 2.0): options with defaults are checked only when given.
            if (Given(result, rate) is <= 0 or > 100_000)
            {
                result.AddError("--rate must be above 0 and at most 100,000 requests/s");
            }

            if (Given(result, tenants) is < 1 or > 50_000)
            {
                result.AddError("--tenants must be 1 to 50,000");
            }

            FillErrors(result.GetValue(scenario), Given(result, targetAllocations), Given(result, concurrency), result.GetValue(settle), result.GetValue(duration), result.GetValue(noRelease))
                .ToList().ForEach(result.AddError);
        });

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0 || parsed.Action is not null && parsed.GetValue(scenario) is null)
        {
            return (parsed, null);
        }

        Scenarios.TryParse(parsed.GetValue(scenario)!, out var kind);
        var options = new LoadTestOptions
        {
            Scenario = kind,
            Duration = TimeSpan.FromSeconds(parsed.GetValue(duration)),
            Rate = parsed.GetResult(rate) is { Implicit: false } ? parsed.GetValue(rate) : Scenarios.DefaultRate(kind),
            Target = parsed.GetValue(target) is { } t ? new Uri(t) : null,
            OutDirectory = parsed.GetValue(outDir)!,
            Seed = parsed.GetValue(seed),
            Tenants = parsed.GetValue(tenants),
            DataCenters = parsed.GetValue(dataCenters),
            Compare = !parsed.GetValue(noCompare),
            WarmUp = TimeSpan.FromSeconds(parsed.GetValue(warmUp)),
            CeilingDuration = TimeSpan.FromSeconds(parsed.GetValue(ceiling)),
            AdminToken = Environment.GetEnvironmentVariable("BROKER_ADMIN_TOKEN") ?? parsed.GetValue(adminToken)!,
            SpikeState = parsed.GetValue(spikeState),
            OutageProvider = parsed.GetValue(outageProvider),
            Keep = parsed.GetValue(keep),
            TargetAllocations = parsed.GetValue(targetAllocations),
            Concurrency = parsed.GetValue(concurrency),
            SettleSeconds = TimeSpan.FromSeconds(parsed.GetValue(settle)),
            Release = !parsed.GetValue(noRelease),
        };
        return (parsed, options);
    }

    /// <summary>The option's value if the command line names it, else null.</summary>
    private static T? Given<T>(System.CommandLine.Parsing.CommandResult result, Option<T> option) where T : struct =>
        result.GetResult(option) is { Implicit: false } given ? given.GetValueOrDefault<T>() : null;

    private static IEnumerable<string> FillErrors(string? scenario, int? targetAllocations, int? concurrency, int settle, int duration, bool noRelease)
    {
        if (targetAllocations is < 100 or > 10_000_000)
        {
            yield return "--target-allocations must be 100 to 10,000,000";
        }

        if (concurrency is < 1 or > 1_024)
        {
            yield return "--concurrency must be 1 to 1,024";
        }

        if (settle is < 0 or > 3_600)
        {
            yield return "--settle-seconds must be 0 to 3,600";
        }

        if (noRelease && scenario != Scenarios.Name(ScenarioKind.Fill))
        {
            yield return "--no-release is for --scenario fill: the other scenarios check that everything was given back";
        }

        // Kept allocations hold a load lease of an hour: all of them must still be live when memory is read.
        if (scenario == Scenarios.Name(ScenarioKind.Fill) && duration + settle > FillLeaseBudgetSeconds)
        {
            yield return $"fill: --duration plus --settle-seconds must be at most {FillLeaseBudgetSeconds:N0} s, so that no kept allocation's lease ({LoadLease.Iso}) runs out before the end";
        }
    }

    /// <summary>The load lease less 10 minutes for memory readings and the release: 3,000 s.</summary>
    private static int FillLeaseBudgetSeconds => (int)(LoadLease.Duration - TimeSpan.FromMinutes(10)).TotalSeconds;

    private static string DefaultRates() =>
        string.Join(", ", Enum.GetValues<ScenarioKind>().Select(k => $"{Scenarios.Name(k)} {Scenarios.DefaultRate(k).ToString(System.Globalization.CultureInfo.InvariantCulture)}"));

    private static bool IsLoopback(Uri uri) =>
        uri.Scheme is "http" or "https" && (uri.IsLoopback || (System.Net.IPAddress.TryParse(uri.Host, out var ip) && System.Net.IPAddress.IsLoopback(ip)));
}
