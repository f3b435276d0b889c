using System.Globalization;
using System.Text.Json;
using Broker.Client;
using Broker.Contracts;
using Broker.Grains.DataCenters.Drain;
using Broker.Grains.Directory;
using Broker.LoadTests.World;
using Broker.Silo.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Broker.LoadTests.Targets;

/// <summary>
/// A complete broker in this process (silo, grains, HTTP API) with in-memory storage, on free loopback
/// ports, loaded with a load world. Each one is fresh: nothing carries over from the previous.
/// </summary>
public sealed class EmbeddedBroker : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _directory;

    private EmbeddedBroker(WebApplication app, string directory, Uri url, string adminToken)
    {
        _app = app;
        _directory = directory;
        Url = url;
        AdminToken = adminToken;
    }

    public Uri Url { get; }

    public string AdminToken { get; }

    public IGrainFactory Grains => _app.Services.GetRequiredService<IGrainFactory>();

    /// <summary>The silo's capacity directory: every data center's latest published summary.</summary>
    public CapacityDirectory Directory => _app.Services.GetRequiredService<CapacityDirectory>();

    /// <summary>How many moves one drain has in flight at once (<c>Broker:Drain:MaxMovesInFlight</c>).</summary>
    public int MaxMovesInFlight => _app.Services.GetRequiredService<IOptions<DrainOptions>>().Value.MaxMovesInFlight;

    public static async Task<EmbeddedBroker> StartAsync(LoadWorld world, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(Path.GetTempPath(), "broker-load-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        var adminToken = "lt-admin-" + Guid.NewGuid().ToString("N");
        var file = Path.Combine(directory, "federation.json");
        var federation = world.Federation with { FederationAdmins = [new AdminEntry { Token = adminToken }] };
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(federation, BrokerJsonOptions.Default), cancellationToken);
        var ports = FreePorts.Take(3);
        var url = new Uri($"http://127.0.0.1:{ports[0]}");
        var app = BrokerApp.Create(
        [
            "--urls", url.ToString().TrimEnd('/'),
            "--Broker:FederationFile", file,
            "--Broker:SiloPort", ports[1].ToString(CultureInfo.InvariantCulture),
            "--Broker:GatewayPort", ports[2].ToString(CultureInfo.InvariantCulture),
            "--Broker:ShowDemoTokens", "false",
            "--Broker:ShowBanner", "false",
            "--Logging:LogLevel:Default", "Warning",
            "--Logging:LogLevel:Orleans", "Error",
            "--Logging:LogLevel:Microsoft.AspNetCore", "Error",
        ]);
        await app.StartAsync(cancellationToken);
        var broker = new EmbeddedBroker(app, directory, url, adminToken);
        await using (var http = new HttpTarget(url, adminToken))
        {
            await http.PrepareReadOnlyAsync(world, cancellationToken);
        }

        return broker;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        System.IO.Directory.Delete(_directory, recursive: true);
    }
}

/// <summary>Loopback ports nobody listens on right now.</summary>
public static class FreePorts
{
    public static int[] Take(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0)).ToArray();
        foreach (var listener in listeners)
        {
            listener.Start();
        }

        var ports = listeners.Select(l => ((System.Net.IPEndPoint)l.LocalEndpoint).Port).ToArray();
        foreach (var listener in listeners)
        {
            listener.Stop();
        }

        return ports;
    }
}
