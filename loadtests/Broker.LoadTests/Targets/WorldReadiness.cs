using Broker.Client;
using Broker.LoadTests.World;

namespace Broker.LoadTests.Targets;

/// <summary>Waits until a broker shows every data center of the load world and knows its tenants, so that no request races the upsert.</summary>
public static class WorldReadiness
{
    public static async Task WaitAsync(BrokerClient admin, BrokerClient aTenant, LoadWorld world, CancellationToken cancellationToken)
    {
        var expected = world.DataCenters.Select(dc => dc.Id).ToHashSet(StringComparer.Ordinal);
        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        var seen = 0;
        while (true)
        {
            try
            {
                var capacity = await admin.GetCapacityAsync(cancellationToken);
                seen = capacity.Providers.SelectMany(p => p.DataCenters).Count(dc => expected.Contains(dc.Id));
                if (seen == expected.Count)
                {
                    await aTenant.ListRequestsAsync(limit: 1, cancellationToken: cancellationToken);
                    return;
                }
            }
            catch (BrokerProblemException e) when (e.Problem.Code == "unauthenticated")
            {
                // The tenants are not known on this silo yet.
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"the broker shows {seen} of the load world's {expected.Count} data centers after 60 s");
            }

            await Task.Delay(100, cancellationToken);
        }
    }
}
