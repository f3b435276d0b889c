using System.Collections.Concurrent;
using System.Diagnostics;

namespace Broker.Tests.Client;

/// <summary>What the network does to one attempt.</summary>
public abstract record Fault
{
    /// <summary>The request reaches the broker and the broker acts; its answer never comes back.</summary>
    public sealed record LoseResponse : Fault;

    /// <summary>The attempt never reaches the broker; this answer comes back instead.</summary>
    public sealed record Answer(HttpStatusCode Status, int? RetryAfterSeconds = null) : Fault;
}

/// <summary>One attempt as it left the client: when, what, and with which idempotency key.</summary>
public sealed record Attempt(TimeSpan At, HttpMethod Method, string Path, string? IdempotencyKey);

/// <summary>
/// Sits between the client's resilience pipeline and the network and applies a script of faults, one per
/// attempt, then lets attempts through. Records every attempt, so tests see what the retries really sent.
/// </summary>
public sealed class FaultInjectionHandler(params Fault[] script) : DelegatingHandler
{
    private readonly ConcurrentQueue<Fault> _script = new(script);
    private readonly ConcurrentQueue<Attempt> _attempts = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    /// <summary>Gives every attempt a fresh idempotency key: what a client without one would do. A control, to show what the key prevents.</summary>
    public bool RewriteIdempotencyKey { get; init; }

    /// <summary>Repeat the last fault of the script for ever instead of letting attempts through after it.</summary>
    public bool RepeatLastFault { get; init; }

    public IReadOnlyList<Attempt> Attempts => _attempts.ToArray();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (RewriteIdempotencyKey && request.Headers.Remove("Idempotency-Key"))
        {
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        }

        var key = request.Headers.TryGetValues("Idempotency-Key", out var keys) ? keys.Single() : null;
        _attempts.Enqueue(new Attempt(_clock.Elapsed, request.Method, request.RequestUri!.AbsolutePath, key));
        var fault = NextFault();
        switch (fault)
        {
            case Fault.Answer answer:
                var response = new HttpResponseMessage(answer.Status) { RequestMessage = request, Content = new StringContent("") };
                if (answer.RetryAfterSeconds is { } seconds)
                {
                    response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(seconds));
                }

                return response;
            case Fault.LoseResponse:
                (await base.SendAsync(request, cancellationToken)).Dispose();
                throw new HttpRequestException("the connection dropped before the answer arrived (injected)");
            default:
                return await base.SendAsync(request, cancellationToken);
        }
    }

    private Fault? NextFault()
    {
        if (RepeatLastFault && _script.Count == 1 && _script.TryPeek(out var last))
        {
            return last;
        }

        return _script.TryDequeue(out var fault) ? fault : null;
    }
}
