using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Threading.RateLimiting;
using Broker.Grains;
using Broker.Grains.Federation;
using Broker.Silo.Api;
using Broker.Silo.Auth;
using Microsoft.Extensions.Options;

namespace Broker.Silo.Hosting;

/// <summary>How many calls per second each tenant may make to one silo, and how many at once above that (a token bucket).</summary>
public sealed class TenantRateLimitOptions
{
    public const string Section = "Broker:RateLimit";

    [Range(1, 1_000_000)]
    public int PermitsPerSecond { get; set; } = 100;

    [Range(1, 1_000_000)]
    public int Burst { get; set; } = 200;
}

/// <summary>
/// A token bucket per tenant, so that no authority's automation can crowd out the others: above it the
/// answer is 429 <c>rate-limited</c> with <c>Retry-After</c>. Admins and unauthenticated calls are not
/// limited here (unknown tokens are refused before any work is done).
/// </summary>
public static class TenantRateLimits
{
    public static IServiceCollection AddTenantRateLimits(this IServiceCollection services)
    {
        services.AddOptions<TenantRateLimitOptions>().BindConfiguration(TenantRateLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddRateLimiter(limiter =>
        {
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
                var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await Problems.TooManyRequests("rate-limited", $"this tenant's rate limit is reached; retry after {seconds} s")
                    .ExecuteAsync(context.HttpContext);
            };
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                if (context.User.Identity?.IsAuthenticated != true || !Callers.IsKind(context.User, PrincipalKind.Tenant))
                {
                    return RateLimitPartition.GetNoLimiter("not-a-tenant");
                }

                var settings = context.RequestServices.GetRequiredService<IOptions<TenantRateLimitOptions>>().Value;
                var time = context.RequestServices.GetRequiredKeyedService<TimeProvider>(BrokerTime.Key);
                return RateLimitPartition.Get(
                    context.User.Caller().TenantId!,
                    _ => new ClockTokenBucket(time, settings.Burst, settings.PermitsPerSecond, TimeSpan.FromSeconds(1)));
            });
        });
        return services;
    }
}
