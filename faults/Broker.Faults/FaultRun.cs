using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using Broker.Faults.Checking;
using Broker.Faults.History;
using Broker.Faults.Lab;
using Broker.Faults.Nemesis;
using Broker.Faults.Report;
using Broker.Faults.Workload;
using Broker.Faults.World;

namespace Broker.Faults;

/// <summary>
/// A whole fault run: builds the lab network, starts PostgreSQL and three silos in it, runs the recorded client
/// workload while the nemesis plays its seeded plan, restarts the whole cluster, reads the final state, checks
/// the history against it and writes history.jsonl, result.json and summary.md. Everything it started, it stops.
/// </summary>
public static class FaultRun
{
    private const int Silos = 3;
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(6);

    // Restarting the cluster, waiting for rest and reading everything back takes a minute or two; ten leave room.
    private static readonly TimeSpan FinalReadWindow = TimeSpan.FromMinutes(10);

    public static async Task<FaultRunResult> RunAsync(FaultRunOptions options, TextWriter log)
    {
        System.IO.Directory.CreateDirectory(options.OutDirectory);
        var logs = System.IO.Directory.CreateDirectory(Path.Combine(options.OutDirectory, "logs")).FullName;
        var runId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var world = new FaultWorld(runId);
        var federationFile = Path.Combine(options.OutDirectory, "federation.json");
        await File.WriteAllTextAsync(federationFile, world.FederationJson());

        await using var lab = await NetworkLab.CreateAsync(Silos);
        await using var postgres = new PostgresNode(lab, FreePortBelowEphemeralRange(), Path.Combine("/var/tmp", $"broker-faults-{runId}"));
        await postgres.StartAsync();
        var settings = SiloSettings(postgres, runId, federationFile);
        var silos = Enumerable.Range(0, Silos)
            .Select(i => new SiloProcess(world.Members[i], new SiloEndpoints(lab.NodeAddress(i), 8080, 11111, 30000), settings, logs, lab.Namespace(i)))
            .ToList();
        try
        {
            var cluster = new FaultCluster(lab, postgres, silos, log);
            log.WriteLine($"fault run {runId}, seed {options.Seed}: starting PostgreSQL and {Silos} silos in {lab.Subnet}");
            await cluster.StartAllAsync();
            using var clients = new SiloClients(silos.Select(s => s.BaseAddress).ToList(), CallTimeout);
            await WaitForTenantsAsync(clients, world);

            using var history = new HistoryLog(Path.Combine(options.OutDirectory, "history.jsonl"));
            var clock = Stopwatch.StartNew();
            var ran = await RunWorkloadAsync(options, world, cluster, clients, history, log, clock);

            log.WriteLine($"[{clock.Elapsed.TotalSeconds,6:F1}s] workload done; restarting the whole cluster to read what is stored");
            await new FaultInjector(cluster, history, log).EnsureAllUpAsync();
            await cluster.RestartWholeClusterAsync();
            await WaitForTenantsAsync(clients, world);
            var sampler = new PoolSampler(clients, history, [.. world.Providers], world.FederationAdminToken);
            var named = history.Snapshot().Where(e => e is { Type: EventType.Invoke, F: Operation.Create }).Select(e => (e.Tenant!, e.RequestId!));
            var final = await new FinalStateReader(clients, world, log).ReadAsync(named, sampler);
            await File.WriteAllTextAsync(Path.Combine(options.OutDirectory, "final-state.json"), JsonSerializer.Serialize(final, HistoryLog.Json));

            return await CheckAsync(options, ran, history.Snapshot(), final, federationFile, log);
        }
        finally
        {
            foreach (var silo in silos)
            {
                silo.Dispose();
            }
        }
    }

    /// <summary>
    /// Checks a finished run again from the files it left (history.jsonl, final-state.json, federation.json,
    /// result.json): after a change to the checker, or on a history from elsewhere in the same format.
    /// </summary>
    public static async Task<FaultRunResult> CheckAgainAsync(string directory, TextWriter log)
    {
        var before = JsonSerializer.Deserialize<FaultRunResult>(await File.ReadAllTextAsync(Path.Combine(directory, "result.json")), HistoryLog.Json)!;
        var final = JsonSerializer.Deserialize<FinalState>(await File.ReadAllTextAsync(Path.Combine(directory, "final-state.json")), HistoryLog.Json)!;
        var options = before.Options with { OutDirectory = directory };
        return await CheckAsync(options, before.Ran, HistoryLog.Read(Path.Combine(directory, "history.jsonl")), final, Path.Combine(directory, "federation.json"), log);
    }

    private static async Task<FaultRunResult> CheckAsync(
        FaultRunOptions options, TimeSpan ran, IReadOnlyList<HistoryEvent> history, FinalState final, string federationFile, TextWriter log)
    {
        var input = new CheckInput(history, final, FederationModel.Parse(await File.ReadAllTextAsync(federationFile)));
        var result = FaultRunResult.From(options, ran, input, Checker.Run(input));
        await FaultReport.WriteAsync(result, options.OutDirectory);
        log.WriteLine(FaultReport.Summary(result));
        return result;
    }

    private static async Task<TimeSpan> RunWorkloadAsync(
        FaultRunOptions options, FaultWorld world, FaultCluster cluster, SiloClients clients, HistoryLog history, TextWriter log, Stopwatch clock)
    {
        using var stop = new CancellationTokenSource(options.Duration);
        var recorder = new OperationRecorder(history);
        var budget = new OperationBudget(options.MaxOperations);
        var tenants = world.Tenants.ToArray();
        var end = DateTimeOffset.UtcNow + options.Duration;
        var quiet = new QuietWindow(end, end + FinalReadWindow);
        var sampler = new PoolSampler(clients, history, [.. world.Providers], world.FederationAdminToken).RunAsync(stop.Token);
        var workload = Enumerable.Range(0, options.Clients).Select(p =>
        {
            var tenant = tenants[p % tenants.Length];
            return Task.Run(() => new ClientProcess(p, tenant, world.TenantToken(tenant), HashCode.Combine(options.Seed, p), clients, recorder, budget, quiet).RunAsync(stop.Token));
        }).ToArray();
        var plan = FaultPlan.Draw(options.Seed, Silos, options.CalmMin, options.CalmMax);
        var nemesis = new FaultInjector(cluster, history, log).RunAsync(plan, clock, options.Duration, stop.Token);
        var probe = new RecoveryProbe(clients, recorder, tenants.Select(t => (t, world.TenantToken(t))).ToList(), quiet).RunAsync(stop.Token);
        await Task.WhenAll(workload);
        var ran = clock.Elapsed;
        await stop.CancelAsync(); // the budget may end the workload before the clock does
        await Task.WhenAll(sampler, nemesis, probe);
        return ran;
    }

    private static string[] SiloSettings(PostgresNode postgres, string runId, string federationFile) =>
    [
        "--Broker:Storage=postgres",
        $"--ConnectionStrings:Broker={postgres.ConnectionString}",
        $"--Broker:ClusterId=faults-{runId}",
        $"--Broker:ServiceId=faults-{runId}",
        $"--Broker:FederationFile={federationFile}",
        // A client that has waited this long gets a 202 and polls: answers come well within the client's own timeout.
        "--Broker:DecisionWaitBudget=00:00:03",
        "--Broker:Negotiation:HoldTtl=00:00:05",
        "--Broker:Directory:HomeCheckInterval=00:00:01",
        "--Broker:Directory:AcknowledgementCheckInterval=00:00:01",
        "--Broker:RateLimit:Burst=1000000",
        "--Broker:RateLimit:PermitsPerSecond=1000000",
        "--Broker:Negotiation:MaxInFlightPerTenant=1000000",
        "--Broker:ShowBanner=false",
        "--Logging:LogLevel:Default=Warning",
        "--Logging:LogLevel:Polly=Warning",
    ];

    private static async Task WaitForTenantsAsync(SiloClients clients, FaultWorld world)
    {
        var deadline = Stopwatch.StartNew();
        foreach (var silo in Enumerable.Range(0, clients.Count))
        {
            foreach (var tenant in world.Tenants)
            {
                CallResult answer;
                while ((answer = await clients.SendAsync(silo, HttpMethod.Get, "/v1/catalog", world.TenantToken(tenant))).Type != EventType.Ok)
                {
                    if (deadline.Elapsed > TimeSpan.FromSeconds(60))
                    {
                        throw new TimeoutException($"silo {silo} does not know tenant {tenant} after 60 s: {answer.Status} {answer.Error}");
                    }

                    await Task.Delay(200); // polling the silo until it has loaded the federation
                }
            }
        }
    }

    /// <summary>A loopback port below the kernel's ephemeral range, so that no client connection takes it while PostgreSQL restarts.</summary>
    private static int FreePortBelowEphemeralRange()
    {
        for (var port = 20000 + RandomNumberGenerator.GetInt32(10000); ; port++)
        {
            try
            {
                using var probe = new TcpListener(IPAddress.Loopback, port);
                probe.Start();
                return port;
            }
            catch (SocketException)
            {
                // taken: try the next one
            }
        }
    }
}
