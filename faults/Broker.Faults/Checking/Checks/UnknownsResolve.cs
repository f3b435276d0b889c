using Broker.Faults.History;

namespace Broker.Faults.Checking.Checks;

/// <summary>
/// Every call whose outcome the client could not know resolved to exactly one outcome: no request named in the
/// history is left negotiating, and a request whose every create was unknown is either absent or one decided request.
/// </summary>
public static class UnknownsResolve
{
    public const string Name = "unknowns-resolve";

    public static IEnumerable<Violation> Check(CheckInput input)
    {
        foreach (var (id, calls) in input.ByRequest)
        {
            var final = input.Final.Requests.GetValueOrDefault(id);
            if (final is { State: "negotiating" })
            {
                var unknown = calls.Count(c => c.Outcome == EventType.Unknown);
                yield return new Violation(Name, id, $"still negotiating at the end ({unknown} of its {calls.Count} calls unknown), created {final.CreatedAt:O}");
            }
        }
    }
}
