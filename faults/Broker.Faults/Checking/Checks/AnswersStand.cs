namespace Broker.Faults.Checking.Checks;

/// <summary>
/// An answer stands: a request, once shown, never goes back (negotiating → decided → ended, never the other way),
/// a decision never turns into the other one (rejected, later allocated), and a request once shown is never
/// answered 404 later — not by a call begun after that answer came back, nor in the final state.
/// </summary>
public static class AnswersStand
{
    public const string Name = "answers-stand";

    public static IEnumerable<Violation> Check(CheckInput input)
    {
        foreach (var (id, calls) in input.ByRequest)
        {
            var seen = input.Observations(id).ToList();
            if (seen.Count == 0)
            {
                continue;
            }

            var final = input.Final.Requests.GetValueOrDefault(id);
            foreach (var (earlier, shown) in seen)
            {
                foreach (var (later, then) in seen.Where(o => o.Call.Invoke.At > earlier.Completion!.At))
                {
                    if (then.Rank < shown.Rank || (then.IsDecided && shown.IsDecided && then.Decision != shown.Decision))
                    {
                        yield return new Violation(Name, id, $"answered {shown.State} (op {earlier.Invoke.Op}), later {then.State} (op {later.Invoke.Op})");
                    }
                }
            }

            var (firstCall, firstShown) = seen[0];
            var gone = calls.FirstOrDefault(c => c.Completion is { Status: 404 } && c.Invoke.At > firstCall.Completion!.At);
            if (gone is not null)
            {
                yield return new Violation(Name, id, $"answered {firstShown.State} (op {firstCall.Invoke.Op}), later 404 (op {gone.Invoke.Op})");
            }

            if (final is null)
            {
                yield return new Violation(Name, id, $"answered {firstShown.State} (op {firstCall.Invoke.Op}), finally not found (404)");
            }
            else if (seen.FirstOrDefault(o => final.Rank < o.Seen.Rank || (o.Seen.IsDecided && final.Decision != o.Seen.Decision)) is { Call: not null } contradicted)
            {
                yield return new Violation(Name, id, $"answered {contradicted.Seen.State} (op {contradicted.Call.Invoke.Op}), finally {final.State}");
            }
        }
    }
}
