using System.CommandLine;
using Broker.Faults;

var seed = new Option<int>("--seed") { Description = "Draws the workload and the fault plan", DefaultValueFactory = _ => 1 };
var duration = new Option<int>("--duration") { Description = "Seconds of workload under faults (30-7200)", DefaultValueFactory = _ => 120 };
var operations = new Option<long>("--operations") { Description = "Operations at most (the run also stops at its duration)", DefaultValueFactory = _ => 1_000_000 };
var clients = new Option<int>("--clients") { Description = "Clients calling at once, one call at a time each (1-256)", DefaultValueFactory = _ => 24 };
var outDir = new Option<string>("--out") { Description = "Where history.jsonl, final-state.json, result.json, summary.md and the silos' logs go", Required = true };
var checkAgain = new Option<bool>("--check-again") { Description = "Run nothing: check the run in --out again from the files it left" };
var root = new RootCommand("A seeded fault run against a three-silo PostgreSQL cluster in network namespaces of its own (needs root): exits 0 when the checker found no violation, 2 when it did.")
{
    seed, duration, operations, clients, outDir, checkAgain,
};
duration.Validators.Add(result =>
{
    if (result.GetValueOrDefault<int>() is < 30 or > 7200)
    {
        result.AddError("--duration must be 30 to 7200 seconds");
    }
});
clients.Validators.Add(result =>
{
    if (result.GetValueOrDefault<int>() is < 1 or > 256)
    {
        result.AddError("--clients must be 1 to 256");
    }
});
root.SetAction(async parsed =>
{
    var result = parsed.GetValue(checkAgain)
        ? await FaultRun.CheckAgainAsync(Path.GetFullPath(parsed.GetValue(outDir)!), Console.Out)
        : await FaultRun.RunAsync(
        new FaultRunOptions
        {
            Seed = parsed.GetValue(seed),
            Duration = TimeSpan.FromSeconds(parsed.GetValue(duration)),
            MaxOperations = parsed.GetValue(operations),
            Clients = parsed.GetValue(clients),
            OutDirectory = Path.GetFullPath(parsed.GetValue(outDir)!),
        },
        Console.Out);
    return result.Violations.Count == 0 ? 0 : 2;
});
return await root.Parse(args).InvokeAsync();
