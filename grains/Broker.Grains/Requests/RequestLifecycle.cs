using Broker.Domain;
using Broker.Grains.Negotiation;

namespace Broker.Grains.Requests;

/// <summary>
/// A request's transitions as plain changes of its record, free of Orleans and storage: Negotiating → Allocated or
/// Rejected, Allocated → Released or Expired. The grain stores each result; this says what the result is.
/// </summary>
internal static class RequestLifecycle
{
    public static void Decide(RequestRecord record, NegotiationOutcome outcome, DateTimeOffset now)
    {
        if (record.State != RequestState.Negotiating)
        {
            throw new InvalidOperationException($"a request is decided once, while negotiating; this one is {record.State}");
        }

        record.Pending = [];
        record.Trace = outcome.Trace;
        record.DecidedAt = now;
        if (outcome.Allocation is { } allocation)
        {
            record.State = RequestState.Allocated;
            record.Allocation = allocation;
            record.LeaseExpiresAt = outcome.LeaseExpiresAt;
        }
        else
        {
            record.State = RequestState.Rejected;
            record.Reason = outcome.Rejection;
        }
    }

    public static void End(RequestRecord record, RequestState end, DateTimeOffset endedAt)
    {
        if (record.State != RequestState.Allocated || end is not (RequestState.Released or RequestState.Expired))
        {
            throw new InvalidOperationException($"only an allocated request ends, as released or expired; this one is {record.State}");
        }

        record.State = end;
        record.EndedAt = endedAt;
        record.Settled = false;
    }
}
