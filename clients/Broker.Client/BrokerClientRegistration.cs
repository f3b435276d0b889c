using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace Broker.Client;

/// <summary>Registers <see cref="BrokerClient"/> as a typed HTTP client with the broker's resilience pipeline.</summary>
public static class BrokerClientRegistration
{
    public const string PipelineName = "broker";

    /// <summary>
    /// Adds <see cref="BrokerClient"/>. Around every call, outermost first: a total timeout; retries of
    /// transient failures with jittered exponential backoff that honours <c>Retry-After</c>; a circuit
    /// breaker; a timeout per attempt. A retry re-sends the very same message, so a request keeps its
    /// <c>Idempotency-Key</c> and is allocated at most once. Handlers added to the returned builder sit
    /// inside the pipeline, between it and the network.
    /// </summary>
    public static IHttpClientBuilder AddBrokerClient(this IServiceCollection services, Action<BrokerClientOptions> configure)
    {
        services.AddOptions<BrokerClientOptions>()
            .Configure(configure)
            .Validate(o => o.BaseAddress is { IsAbsoluteUri: true }, "BrokerClientOptions.BaseAddress must be an absolute URL.");
        var builder = services.AddHttpClient<BrokerClient>((provider, http) =>
        {
            http.BaseAddress = provider.GetRequiredService<IOptions<BrokerClientOptions>>().Value.BaseAddress;
            // The pipeline owns every timeout; HttpClient's own would cut retries short.
            http.Timeout = Timeout.InfiniteTimeSpan;
        });
        builder.AddResilienceHandler(PipelineName, (pipeline, context) =>
        {
            var options = context.ServiceProvider.GetRequiredService<IOptions<BrokerClientOptions>>().Value;
            AddPipeline(pipeline, options);
        });
        return builder;
    }

    private static void AddPipeline(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, BrokerClientOptions options)
    {
        pipeline.AddTimeout(options.TotalTimeout);
        pipeline.AddRetry(new HttpRetryStrategyOptions
        {
            ShouldHandle = args => ValueTask.FromResult(TransientFailures.IsTransient(args.Outcome)),
            MaxRetryAttempts = options.MaxRetries,
            Delay = options.RetryBaseDelay,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            ShouldRetryAfterHeader = true,
        });
        pipeline.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
        {
            ShouldHandle = args => ValueTask.FromResult(TransientFailures.IsTransient(args.Outcome)),
            FailureRatio = options.BreakerFailureRatio,
            MinimumThroughput = options.BreakerMinimumThroughput,
            SamplingDuration = options.BreakerSamplingWindow,
            BreakDuration = options.BreakerBreakDuration,
        });
        pipeline.AddTimeout(options.AttemptTimeout);
    }
}
