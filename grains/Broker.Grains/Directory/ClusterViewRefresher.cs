using Broker.Directory;
using Broker.Federation;
using Broker.Grains.Federation;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Broker.Grains.Directory;

/// <summary>
/// Keeps this silo's federation view and capacity directory fresh by pulling changes from the federation
/// grain and the directory partitions every refresh interval, each on its own tick. Pulling (instead of every data center
/// calling every silo) keeps the cost per silo fixed: one small call per partition per interval.
/// </summary>
public sealed partial class ClusterViewRefresher(
    IGrainFactory grains,
    FederationRegistry federation,
    CapacityDirectory directory,
    ClusterViewLoad load,
    IOptions<DirectoryOptions> options,
    ILogger<ClusterViewRefresher> logger) : BackgroundService
{
    private readonly (Guid Epoch, long Version)[] _seen = new (Guid, long)[DirectoryPartitions.Count];
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    /// <summary>Pulls once now; also used by callers that must see their own change before they go on.</summary>
    public async Task RefreshAsync()
    {
        await PullFederationAsync();
        await RefreshDirectoryAsync();
    }

    public override void Dispose()
    {
        _oneAtATime.Dispose();
        base.Dispose();
    }

    private async Task PullFederationAsync()
    {
        var newer = await grains.GetGrain<IFederationGrain>(FederationGrainKeys.Singleton).GetIfNewerAsync(federation.Current.Version);
        if (newer is not null)
        {
            federation.Apply(newer);
        }

        // The federation is what a negotiation must not be without; data centers the directory has not seen yet are
        // asked directly (DirectoryGap), and a partition on a silo that just died would hold a newcomer back for long.
        if (federation.Current.Version > 0)
        {
            load.MarkLoaded();
        }
    }

    private async Task RefreshDirectoryAsync()
    {
        await _oneAtATime.WaitAsync();
        try
        {
            await Task.WhenAll(Enumerable.Range(0, DirectoryPartitions.Count).Select(RefreshPartitionAsync));
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    /// <summary>
    /// The federation and the directory each on their own tick: a partition on a silo that died answers only when its
    /// call times out (30 s), and new tenants, tokens and contracts must not wait behind it.
    /// </summary>
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(EveryTickAsync(PullFederationAsync, stoppingToken), EveryTickAsync(RefreshDirectoryAsync, stoppingToken));

    private async Task EveryTickAsync(Func<Task> pull, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RefreshInterval);
        do
        {
            try
            {
                await pull();
            }
            catch (Exception error) when (!stoppingToken.IsCancellationRequested)
            {
                // A grain on a silo that just died answers with an error until it is re-activated: try again next tick.
                LogRefreshFailed(error);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    private async Task RefreshPartitionAsync(int partition)
    {
        var (epoch, version) = _seen[partition];
        var changes = await grains.Reference<IDirectoryPartitionGrain>(partition).GetChangesAsync(epoch, version);
        foreach (var summary in changes.Changed)
        {
            directory.Apply(summary);
        }

        _seen[partition] = (changes.Epoch, changes.Version);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refreshing the federation or the capacity directory failed; retrying on the next tick")]
    private partial void LogRefreshFailed(Exception error);
}
