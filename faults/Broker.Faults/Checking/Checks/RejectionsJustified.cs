namespace Broker.Faults.Checking.Checks;

/// <summary>
/// "Unsatisfiable" means no data center of the federation could ever serve the request; the checker decides that
/// from the federation file. A request answered unsatisfiable that some data center could serve was misjudged
/// (as when the broker answers while a silo rejoins and some data centers are missing from its view).
/// </summary>
public static class RejectionsJustified
{
    public const string Name = "unsatisfiable-only-when-true";

    public static IEnumerable<Violation> Check(CheckInput input)
    {
        foreach (var (id, _) in input.ByRequest)
        {
            var answers = input.Observations(id).Select(o => o.Seen).Append(input.Final.Requests.GetValueOrDefault(id)).OfType<History.RequestView>();
            if (answers.FirstOrDefault(r => r.Reason == "unsatisfiable") is { } misjudged && input.Federation.CouldEverServe(misjudged.Tenant, misjudged.Spec))
            {
                yield return new Violation(Name, id, "answered unsatisfiable, but the federation file has a data center that could serve it");
            }
        }
    }
}
