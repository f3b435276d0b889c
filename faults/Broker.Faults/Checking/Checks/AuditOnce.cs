namespace Broker.Faults.Checking.Checks;

/// <summary>
/// The audit trail verifies as stored, and holds each request's decision exactly once with its outcome, each
/// release and each expiry exactly once, and nothing for a request that was never decided.
/// </summary>
public static class AuditOnce
{
    public const string Name = "audit-holds-each-decision-once";

    public static IEnumerable<Violation> Check(CheckInput input)
    {
        if (!input.Final.AuditVerified)
        {
            yield return new Violation(Name, "audit", "the trail does not verify");
        }

        var entries = input.Final.Audit.ToLookup(e => (e.Subject, e.Action));
        foreach (var (id, request) in input.Final.Requests)
        {
            var decided = entries[(id, "request.decided")].ToList();
            var expectDecided = request is { IsDecided: true } ? 1 : 0;
            if (decided.Count != expectDecided)
            {
                yield return new Violation(Name, id, $"{decided.Count} decision entries for a request that is {request?.State ?? "absent"}");
            }
            // The outcome is "allocated", or "rejected:<reason code>".
            else if (request is { IsDecided: true } && decided[0].Outcome.Split(':')[0] != request.Decision)
            {
                yield return new Violation(Name, id, $"the decision entry says {decided[0].Outcome}, the request was {request.Decision}");
            }

            foreach (var (action, state) in new[] { ("request.released", "released"), ("request.expired", "expired") })
            {
                var count = entries[(id, action)].Count();
                if (count != (request?.State == state ? 1 : 0))
                {
                    yield return new Violation(Name, id, $"{count} {action} entries for a request that is {request?.State ?? "absent"}");
                }
            }
        }
    }
}
