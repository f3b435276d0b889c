using Broker.Audit;
using Broker.Federation;
using Broker.Grains.Directory;
using Microsoft.Extensions.DependencyInjection;

namespace Broker.Grains.Federation;

/// <summary>
/// Applies a federation document (the file at start, or an admin's upsert) through the federation grain, which
/// validates it against the stored document, stores it and configures the data centers it names; returns once this
/// silo sees the change, so that the caller's next request already finds the new tenants and data centers. Every
/// stored change goes into the audit trail, on behalf of the admin who sent it or of the broker loading its file.
/// </summary>
public sealed class FederationUpserter(
    IGrainFactory grains,
    FederationRegistry federation,
    CapacityDirectory directory,
    ClusterViewRefresher refresher,
    [FromKeyedServices(BrokerTime.Key)] TimeProvider time)
{
    private static readonly TimeSpan SeenDeadline = TimeSpan.FromSeconds(30);

    /// <summary>An admin's change: stored as the next version unless invalid (the errors name paths in the change).</summary>
    public Task<FederationUpsertOutcome> UpsertAsync(FederationDocument change, AuditActor by) =>
        ApplyAsync(new FederationUpsert(change, by));

    /// <summary>The federation file at a silo's start, named by the SHA-256 of its bytes: applied only when it differs from the last one applied.</summary>
    public Task<FederationUpsertOutcome> UpsertFileAsync(FederationDocument file, string fileSha256, AuditActor by) =>
        ApplyAsync(new FederationUpsert(file, by, fileSha256));

    private async Task<FederationUpsertOutcome> ApplyAsync(FederationUpsert upsert)
    {
        var outcome = await grains.GetGrain<IFederationGrain>(FederationGrainKeys.Singleton).UpsertAsync(upsert);
        if (outcome.Errors.Count == 0)
        {
            // Also when the file was applied before: this silo serves once it sees what the federation holds.
            await WaitUntilSeenAsync(outcome.Version, upsert.Change);
        }

        return outcome;
    }

    private async Task WaitUntilSeenAsync(long version, FederationDocument change)
    {
        var expected = change.Providers.SelectMany(p => p.DataCenters).Select(dc => dc.Id).ToArray();
        var started = time.GetTimestamp();
        while (true)
        {
            try
            {
                await refresher.RefreshAsync();
            }
            catch (Exception error) when (error is OrleansException or TimeoutException)
            {
                // A silo that hosted a directory partition just went away; the partition comes back elsewhere.
            }

            var missing = expected.Where(id => directory.Find(id) is null).ToArray();
            if (federation.Current.Version >= version && missing.Length == 0)
            {
                return;
            }

            if (time.GetElapsedTime(started) > SeenDeadline)
            {
                throw new FederationNotSeenException(
                    $"after {SeenDeadline.TotalSeconds} s this silo sees federation version {federation.Current.Version} (wanted {version}) and misses {missing.Length} data centers, e.g. {string.Join(", ", missing.Take(3))}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20));
        }
    }
}

/// <summary>The federation was stored, but this silo did not see all of it in time (the cluster is still settling).</summary>
public sealed class FederationNotSeenException(string message) : TimeoutException(message);
