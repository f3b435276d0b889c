using Broker.Federation;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Broker.Silo.Hosting;

/// <summary>Ready when a grain call round-trips through the cluster and storage (the federation grain answers).</summary>
public sealed class ReadinessCheck(IGrainFactory grains) : IHealthCheck
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await grains.GetGrain<IFederationGrain>(FederationGrainKeys.Singleton).GetIfNewerAsync(long.MaxValue).WaitAsync(Budget, cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception error) when (error is TimeoutException or OrleansException)
        {
            return HealthCheckResult.Unhealthy("the cluster did not answer", error);
        }
    }
}
