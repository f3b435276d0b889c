namespace Broker.Faults.Checking.Checks;

/// <summary>
/// Every ended allocation is charged exactly once per part, from its decision to its end without gap or overlap
/// (split at month boundaries), at the price the federation file gives — the list price, or the contract price
/// where a partner served — and the cost is amount × hours × price as the checker computes it. A release ends no
/// earlier than the first call that asked for it; nothing else is charged.
/// </summary>
public static class ChargesExact
{
    public const string Name = "charges-exact";
    private const decimal CostTolerance = 0.000001m;

    public static IEnumerable<Violation> Check(CheckInput input)
    {
        var charges = input.Final.Charges.ToLookup(c => c.RequestId);
        foreach (var stray in charges.Where(g => input.Final.Requests.GetValueOrDefault(g.Key) is not { State: "released" or "expired" }))
        {
            yield return new Violation(Name, stray.Key, $"{stray.Count()} charges for a request that is {input.Final.Requests.GetValueOrDefault(stray.Key)?.State ?? "unknown to the history or absent"}");
        }

        foreach (var request in input.Final.Requests.Values.OfType<History.RequestView>().Where(r => r.State is "released" or "expired"))
        {
            foreach (var violation in CheckEnded(input, request, charges[request.Id].ToList()))
            {
                yield return violation;
            }
        }
    }

    private static IEnumerable<Violation> CheckEnded(CheckInput input, History.RequestView request, List<ChargeView> charges)
    {
        var (from, to) = (request.DecidedAt!.Value, request.EndedAt!.Value);
        if (request.State == "released" && input.ByRequest.GetValueOrDefault(request.Id)?.Where(c => c.Invoke.F == History.Operation.Release).Min(c => (DateTimeOffset?)c.Invoke.At) is { } asked && to < asked)
        {
            yield return new Violation(Name, request.Id, $"released at {to:O}, before the first release was asked for at {asked:O}");
        }

        foreach (var part in request.Parts)
        {
            var entries = charges.Where(c => c.DataCenter == part.DataCenter && c.Resource == part.Resource).OrderBy(c => c.From).ToList();
            var price = input.Federation.PriceOf(request.Tenant, part.Tier, part.Provider, part.DataCenter, part.Resource);
            var subject = $"{request.Id} {part.Amount} {part.Resource} at {part.DataCenter}";
            if (from == to ? entries.Count != 0 : !Tiles(entries, from, to))
            {
                yield return new Violation(Name, subject, $"charged [{string.Join("; ", entries.Select(e => $"{e.From:O}..{e.To:O}"))}] for a lifetime {from:O}..{to:O}");
            }

            foreach (var entry in entries)
            {
                var expected = part.Amount * price * ((decimal)(entry.To - entry.From).Ticks / TimeSpan.TicksPerHour);
                if (entry.Amount != part.Amount || entry.PricePerUnitHour != price || Math.Abs(entry.Cost - expected) > CostTolerance)
                {
                    yield return new Violation(Name, subject, $"charged {entry.Amount} × {entry.PricePerUnitHour} = {entry.Cost} for {entry.From:O}..{entry.To:O}; the federation file gives {part.Amount} × {price} = {expected}");
                }
            }
        }
    }

    private static bool Tiles(List<ChargeView> entries, DateTimeOffset from, DateTimeOffset to)
    {
        var at = from;
        foreach (var entry in entries)
        {
            if (entry.From != at || entry.To <= entry.From)
            {
                return false;
            }

            at = entry.To;
        }

        return entries.Count > 0 && at == to;
    }
}
