namespace Broker.Faults.Checking.Checks;

/// <summary>
/// A partner serves a tenant only under its home provider's contract for that resource, and never beyond the
/// contract's volume at any moment (the partner parts' lifetimes as the requests report them), at the end included.
/// </summary>
public static class ContractLimits
{
    public const string Name = "contracts-within-volume";

    public static IEnumerable<Violation> Check(CheckInput input)
    {
        var partnerParts = Lifetimes.Of(input.Final).Where(l => l.Part.Tier == "partner")
            .GroupBy(l => (Member: input.Federation.HomeOf(l.Request.Tenant), Partner: l.Part.Provider, l.Part.Resource));
        foreach (var contract in partnerParts)
        {
            var subject = $"{contract.Key.Member}→{contract.Key.Partner}/{contract.Key.Resource}";
            if (!input.Federation.Contracts.TryGetValue(contract.Key, out var terms))
            {
                yield return new Violation(Name, subject, $"served by a partner without a contract (request {contract.First().Request.Id})");
                continue;
            }

            var (peak, at) = Lifetimes.Peak(contract);
            if (peak > terms.MaxAmount)
            {
                yield return new Violation(Name, subject, $"at {at:O} the partner served {peak} of the contract's {terms.MaxAmount}");
            }
        }
    }
}
