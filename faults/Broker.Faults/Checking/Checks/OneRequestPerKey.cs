using Broker.Faults.History;

namespace Broker.Faults.Checking.Checks;

/// <summary>
/// At most one request per (tenant, Idempotency-Key): no tenant lists a request twice or one no client asked for,
/// and where one key was sent with different bodies, only one body was ever accepted and the request is that body.
/// </summary>
public static class OneRequestPerKey
{
    public const string Name = "one-request-per-key";

    public static IEnumerable<Violation> Check(CheckInput input)
    {
        var named = input.ByRequest.Keys.ToHashSet();
        foreach (var twice in input.Final.Listed.GroupBy(id => id).Where(g => g.Count() > 1))
        {
            yield return new Violation(Name, twice.Key, $"listed {twice.Count()} times");
        }

        foreach (var stray in input.Final.Listed.Distinct().Where(id => !named.Contains(id)))
        {
            yield return new Violation(Name, stray, "listed, but no client ever created it");
        }

        foreach (var (id, calls) in input.ByRequest)
        {
            var creates = calls.Where(c => c.Invoke.F == Operation.Create).ToList();
            if (creates.Count == 0)
            {
                continue;
            }

            var accepted = creates.Where(c => c.Completion is { Type: EventType.Ok, Request: not null }).ToList();
            var bodies = accepted.Select(c => c.Invoke.Body!).Distinct().ToList();
            if (bodies.Count > 1)
            {
                yield return new Violation(Name, id, $"key {creates[0].Invoke.Key}: {bodies.Count} different bodies were accepted (ops {string.Join(", ", accepted.Select(c => c.Invoke.Op))})");
            }

            if (accepted.FirstOrDefault(c => !c.Invoke.Body!.Matches(c.Completion!.Request!.Spec)) is { } wrong)
            {
                yield return new Violation(Name, id, $"key {wrong.Invoke.Key}: op {wrong.Invoke.Op} sent one body and was answered with a request of another");
            }

            if (input.Final.Requests.GetValueOrDefault(id) is { } final && !creates.Any(c => c.Invoke.Body!.Matches(final.Spec)))
            {
                yield return new Violation(Name, id, $"key {creates[0].Invoke.Key}: the request stored is none of the bodies sent with the key");
            }
        }
    }
}
