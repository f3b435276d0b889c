using Broker.DataCenters;
using Broker.Domain;
using Broker.Requests;

namespace Broker.Grains.Negotiation;

/// <summary>
/// For a <c>splittable</c> request that no single data center can take: storage items are gathered from
/// several data centers (partial holds, best candidates first); other items still stay together in one.
/// All holds are confirmed, or none is kept.
/// </summary>
internal sealed class SplitNegotiation(NegotiationRound round, IReadOnlyList<Candidate> candidates, NegotiationOptions settings)
{
    public async Task<Allocation?> RunAsync()
    {
        var remaining = round.Spec.Items.ToDictionary(i => i.Resource, i => i.Amount, StringComparer.Ordinal);
        var holds = new List<PricedOffer>();
        var maxAsks = settings.CandidatesPerRound * settings.RoundsPerTier * 3;
        foreach (var candidate in candidates.OrderBy(c => c.Tier).ThenByDescending(c => c.LooksFree).ThenByDescending(c => c.Score).Take(maxAsks))
        {
            if (remaining.Values.All(amount => amount == 0))
            {
                break;
            }

            var wanted = Wanted(candidate.DataCenter, remaining);
            if (wanted.Length == 0)
            {
                continue;
            }

            var offer = await round.AskAsync(candidate, wanted, partial: true);
            if (offer is null)
            {
                continue;
            }

            holds.Add(offer);
            foreach (var held in offer.Offer.Held)
            {
                remaining[held.Resource] -= held.Amount;
            }
        }

        if (remaining.Values.Any(amount => amount > 0) || !WithinBudget(holds))
        {
            await Task.WhenAll(holds.Select(round.CancelAsync));
            return null;
        }

        return await ConfirmAllAsync(holds);
    }

    /// <summary>What to ask one data center for: the storage it has pools for, and the other items only all together.</summary>
    private RequestItem[] Wanted(DataCenterSummary dc, Dictionary<string, long> remaining)
    {
        var others = remaining.Where(r => r.Value > 0 && !ResourceClasses.IsStorage(r.Key)).Select(r => new RequestItem(r.Key, r.Value)).ToArray();
        var othersFit = others.Length > 0 && others.All(item => round.Selector.Serves(dc, item, exactAmount: true));
        var storage = remaining
            .Where(r => r.Value > 0 && ResourceClasses.IsStorage(r.Key))
            .Select(r => new RequestItem(r.Key, r.Value))
            .Where(item => round.Selector.Serves(dc, item, exactAmount: false));
        return (othersFit ? others : []).Concat(storage).ToArray();
    }

    private bool WithinBudget(List<PricedOffer> holds)
    {
        if (round.Spec.Constraints.MaxHourlyCost is not { } max || holds.Sum(h => h.HourlyCost) <= max)
        {
            return true;
        }

        foreach (var hold in holds)
        {
            round.Trace(hold, TraceOutcome.OverBudget, "the split allocation as a whole is above the maximum hourly cost");
        }

        return false;
    }

    private async Task<Allocation?> ConfirmAllAsync(List<PricedOffer> holds)
    {
        var confirmed = new List<PricedOffer>();
        foreach (var hold in holds)
        {
            if (!await round.ConfirmAsync(hold))
            {
                // Compensate: an allocation is whole or not at all.
                await Task.WhenAll(holds.Except(confirmed).Where(h => h != hold).Select(round.CancelAsync));
                await round.ReleaseConfirmedAsync(confirmed);
                return null;
            }

            confirmed.Add(hold);
        }

        foreach (var hold in confirmed)
        {
            round.Trace(hold, TraceOutcome.Won, null);
        }

        var parts = confirmed.SelectMany(h => h.Parts).ToArray();
        return new Allocation { Tier = confirmed.Max(h => h.Tier), Provider = confirmed[0].Offer.Provider, Parts = parts };
    }
}
