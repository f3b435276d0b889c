using System.Net;
using Polly;
using Polly.Timeout;

namespace Broker.Client;

/// <summary>
/// Which outcomes are worth another attempt: the connection failed or the attempt timed out, the broker
/// was overloaded (429) or failed (5xx) — except 501, which will not change by asking again.
/// Everything else is an answer, and answers are not retried.
/// </summary>
public static class TransientFailures
{
    public static bool IsTransient(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Result: { } response } => IsTransient(response.StatusCode),
        _ => false,
    };

    public static bool IsTransient(HttpStatusCode status) =>
        status == HttpStatusCode.TooManyRequests || ((int)status >= 500 && status != HttpStatusCode.NotImplemented);
}
