namespace Broker.LoadTests.Running;

/// <summary>Stops and restarts one provider's silo, for the provider-outage scenario.</summary>
public interface IOutageControl
{
    /// <summary>The provider whose silo goes down (as the cluster names it, without the load world's prefix).</summary>
    string Provider { get; }

    Task StopAsync(CancellationToken cancellationToken);

    /// <summary>Starts the silo again and returns once it answers ready.</summary>
    Task StartAsync(CancellationToken cancellationToken);
}

/// <summary>The silos of <c>deploy/local-cluster.sh</c>: <c>stop-silo</c> and <c>start-silo</c> of one provider.</summary>
public sealed class LocalClusterOutage(string script, string provider) : IOutageControl
{
    public string Provider => provider;

    public Task StopAsync(CancellationToken cancellationToken) => RunAsync("stop-silo", cancellationToken);

    public Task StartAsync(CancellationToken cancellationToken) => RunAsync("start-silo", cancellationToken);

    private Task RunAsync(string verb, CancellationToken cancellationToken) => Script.RunAsync(script, [verb, provider], cancellationToken);
}
