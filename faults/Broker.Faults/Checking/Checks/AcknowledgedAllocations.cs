namespace Broker.Faults.Checking.Checks;

/// <summary>
/// Every allocation the broker acknowledged still exists where it was given, or ended through a release someone
/// asked for or through its lease (never before the latest lease the broker acknowledged, never left overdue).
/// </summary>
public static class AcknowledgedAllocations
{
    public const string Name = "acknowledged-allocations-survive";
    private static readonly TimeSpan LeaseGrace = TimeSpan.FromSeconds(5);

    public static IEnumerable<Violation> Check(CheckInput input)
    {
        foreach (var id in input.ByRequest.Keys)
        {
            var seen = input.Observations(id).Where(o => o.Seen.State == "allocated").ToList();
            if (seen.Count == 0)
            {
                continue;
            }

            var first = seen[0];
            var final = input.Final.Requests.GetValueOrDefault(id);
            if (final is null)
            {
                yield return new Violation(Name, id, $"acknowledged allocated at {first.Call.Completion!.At:O} (op {first.Call.Invoke.Op}), finally not found (404)");
                continue;
            }

            if (final.State is not ("allocated" or "released" or "expired"))
            {
                yield return new Violation(Name, id, $"acknowledged allocated (op {first.Call.Invoke.Op}), finally {final.State}");
                continue;
            }

            if (seen.FirstOrDefault(o => !o.Seen.SamePlacement(final)) is { Seen: not null } moved)
            {
                yield return new Violation(Name, id, $"acknowledged in {Where(moved.Seen)} (op {moved.Call.Invoke.Op}), finally in {Where(final)}");
            }

            // A renewal sets the lease from its own moment (it may shorten it): the last lease acknowledged must hold,
            // unless a renewal begun after that answer may have changed it again.
            var (lastCall, last) = seen[^1];
            var renewedSince = input.ByRequest[id].Any(c => c.Invoke.F == History.Operation.Renew && c.Invoke.At > lastCall.Completion!.At);
            if (final.State != "released" && !renewedSince && final.LeaseExpiresAt != last.LeaseExpiresAt)
            {
                yield return new Violation(Name, id, $"a lease to {last.LeaseExpiresAt:O} was acknowledged last (op {lastCall.Invoke.Op}), finally it ends at {final.LeaseExpiresAt:O}");
            }

            if (final.State == "released" && !input.ByRequest[id].Any(c => c.Invoke.F == History.Operation.Release))
            {
                yield return new Violation(Name, id, "finally released, but no client ever asked to release it");
            }

            if (final.State == "expired" && final.EndedAt != final.LeaseExpiresAt)
            {
                yield return new Violation(Name, id, $"expired at {final.EndedAt:O}, its lease ended at {final.LeaseExpiresAt:O}");
            }

            if (final.State == "allocated" && final.LeaseExpiresAt < input.Final.ReadAt - LeaseGrace)
            {
                yield return new Violation(Name, id, $"still allocated at {input.Final.ReadAt:O}, its lease ended at {final.LeaseExpiresAt:O}");
            }
        }
    }

    private static string Where(History.RequestView r) => string.Join(", ", r.Parts.Select(p => $"{p.Amount} {p.Resource} at {p.DataCenter}"));
}
