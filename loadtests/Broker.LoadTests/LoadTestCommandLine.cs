using System.CommandLine;
using Broker.LoadTests.Demand;

namespace Broker.LoadTests;

/// <summary>
/// <c>dotnet run -c Release --project loadtests/Broker.LoadTests -- --scenario &lt;name&gt; --duration &lt;s&gt;
/// [--rate &lt;r/s&gt;] [--target &lt;url&gt; | --in-process] --out &lt;dir&gt;</c>. Exits 0 when the invariants held,
/// 2 when they did not, 1 for a wrong command line.
/// </summary>
public static class LoadTestCommandLine
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var scenario = new Option<string>("--scenario") { Description = "steady | election-night | storage-burst | provider-outage", Required = true };
        scenario.AcceptOnlyFromAmong(Enum.GetValues<ScenarioKind>().Select(Scenarios.Name).ToArray());
        var duration = new Option<int>("--duration") { Description = "Seconds per phase (1-3600)", Required = true };
        var rate = new Option<double>("--rate") { Description = "Requests per second of all authorities at base rate", DefaultValueFactory = _ => 200 };
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
        var root = new RootCommand("Open-model load against the broker, with the federation and each provider on its own side by side.")
        {
            scenario, duration, rate, target, inProcess, outDir, seed, tenants, dataCenters, noCompare, warmUp, ceiling, adminToken, spikeState, outageProvider,
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

            if (result.GetValue(duration) is < 1 or > 3600)
            {
                result.AddError("--duration must be 1 to 3600 seconds");
            }

            if (result.GetValue(dataCenters) is < 9 or > 20_000)
            {
                result.AddError("--datacenters must be 9 (one per provider) to 20,000");
            }

            if (result.GetValue(rate) is <= 0 or > 100_000)
            {
                result.AddError("--rate must be above 0 and at most 100,000 requests/s");
            }
        });

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0 || parsed.Action is not null && parsed.GetValue(scenario) is null)
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        }

        Scenarios.TryParse(parsed.GetValue(scenario)!, out var kind);
        var options = new LoadTestOptions
        {
            Scenario = kind,
            Duration = TimeSpan.FromSeconds(parsed.GetValue(duration)),
            Rate = parsed.GetValue(rate),
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
        };
        var result = await LoadTest.RunAsync(options, output);
        await output.WriteLineAsync($"wrote {Path.GetFullPath(options.OutDirectory)}: result.json, summary.md, charts; invariants {(result.InvariantsHold ? "hold" : "VIOLATED")}");
        return result.InvariantsHold ? 0 : 2;
    }

    private static bool IsLoopback(Uri uri) =>
        uri.Scheme is "http" or "https" && (uri.IsLoopback || (System.Net.IPAddress.TryParse(uri.Host, out var ip) && System.Net.IPAddress.IsLoopback(ip)));
}
