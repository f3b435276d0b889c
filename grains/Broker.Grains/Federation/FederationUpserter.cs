using Broker.Audit;
using Broker.Federation;
using Broker.Grains.Directory;
using Microsoft.Extensions.DependencyInjection;

namespace Broker.Grains.Federation;

/// <summary>
/// Applies a federation document (the file at start, or an admin's upsert): validates the merged result,
/// stores it, configures the data centers it names, and returns once this silo sees the change, so that
/// the caller's next request already finds the new tenants and data centers. Every stored change goes into
/// the audit trail, on behalf of the admin who sent it or of the broker loading its file.
/// </summary>
public sealed class FederationUpserter(
    IGrainFactory grains,
    FederationRegistry federation,
    CapacityDirectory directory,
    ClusterViewRefresher refresher,
    [FromKeyedServices(BrokerTime.Key)] TimeProvider time)
{
    private static readonly TimeSpan SeenDeadline = TimeSpan.FromSeconds(30);

    public async Task<(long Version, Dictionary<string, string[]> Errors)> UpsertAsync(FederationDocument change, AuditActor by)
    {
        if (FederationValidator.NullEntries(change) is { Count: > 0 } nulls)
        {
            return (0, nulls);
        }

        var merged = FederationMerge.Upsert(federation.Current.Document, change);
        var errors = FederationErrorPaths.InTermsOf(FederationValidator.Validate(merged), merged, change);
        if (errors.Count > 0)
        {
            return (0, errors);
        }

        var version = await grains.GetGrain<IFederationGrain>(FederationGrainKeys.Singleton).UpsertAsync(change, by);
        await WaitUntilSeenAsync(version, change);
        return (version, errors);
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
