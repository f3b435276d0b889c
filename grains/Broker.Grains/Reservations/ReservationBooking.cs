using System.Globalization;
using Broker.DataCenters;
using Broker.Domain;
using Broker.Grains.Directory;
using Broker.Grains.Federation;
using Broker.Grains.Negotiation;
using Broker.Grains.Providers;
using Broker.Providers;
using Broker.Requests;

namespace Broker.Grains.Reservations;

/// <summary>
/// Finds a place for a reservation: the request's hard constraints and tiers as for any request (home, federation,
/// partner under a contract of the tenant's home provider), then the best candidates by score, asked one at a time —
/// each data center checks its time-aware book for the whole window and books it durably, or says why not. A partner's
/// contract volume is booked for the window first. Sequential on purpose: a booking is rare and must not over-reserve
/// several places at once; at most <c>CandidatesPerRound × RoundsPerTier</c> are asked per tier.
/// </summary>
internal sealed class ReservationBooking(IGrainFactory grains, CapacityDirectory directory, FederationView federation, NegotiationOptions settings)
{
    private static readonly Tier[] TierOrder = [Tier.Home, Tier.Federation, Tier.Partner];

    private readonly List<TraceEntry> _trace = [];
    private int _asked;
    private int _overBudget;

    public async Task<(Allocation? Allocation, Rejection? Rejection, TraceEntry[] Trace)> BookAsync(
        string reservationId, Guid attempt, string homeProvider, RequestSpec spec, DateTimeOffset start, DateTimeOffset end)
    {
        var selector = new CandidateSelector(spec, homeProvider, federation, settings.Weights);
        var perTier = settings.CandidatesPerRound * settings.RoundsPerTier;
        var (candidates, rejection) = selector.ForBundle(directory.OfferingInRandomOrder(spec.Items[0].Resource), directory.Find, perTier, perTier, settings.CandidateSample);
        if (rejection is null && await TryTiersAsync(candidates, perTier, reservationId, attempt, homeProvider, spec, selector, start, end) is { } booked)
        {
            return (booked, null, _trace.ToArray());
        }

        // As for a request: registered data centers this silo's directory has not seen yet (after a silo joined, or the
        // whole cluster restarted) are asked themselves before the booking is refused — a known one that is full or
        // draining must not hide an unseen one with room.
        if (rejection?.Code is null or RejectionCode.Unsatisfiable && DirectoryGap.Unseen(federation, directory) is { Count: > 0 } unseen)
        {
            var (missing, _) = selector.ForBundle([.. unseen.Keys], unseen.GetValueOrDefault, perTier, perTier, settings.CandidateSample);
            if (missing.Count > 0)
            {
                rejection = null;
                if (await TryTiersAsync(missing, perTier, reservationId, attempt, homeProvider, spec, selector, start, end) is { } found)
                {
                    return (found, null, _trace.ToArray());
                }
            }
        }

        return rejection is null ? (null, WhyNot(), _trace.ToArray()) : (null, rejection, []);
    }

    /// <summary>Free capacity now says little about a window ahead: tier by tier, the score alone orders the candidates.</summary>
    private async Task<Allocation?> TryTiersAsync(
        IReadOnlyList<Candidate> candidates, int perTier, string reservationId, Guid attempt, string homeProvider, RequestSpec spec, CandidateSelector selector, DateTimeOffset start, DateTimeOffset end)
    {
        foreach (var tier in TierOrder)
        {
            foreach (var candidate in candidates.Where(c => c.Tier == tier).OrderByDescending(c => c.Score).ThenBy(c => c.Id, StringComparer.Ordinal).Take(perTier))
            {
                if (await TryAsync(candidate, reservationId, attempt, homeProvider, spec, selector, start, end) is { } booked)
                {
                    return booked;
                }
            }
        }

        return null;
    }

    private async Task<Allocation?> TryAsync(Candidate candidate, string reservationId, Guid attempt, string homeProvider, RequestSpec spec, CandidateSelector selector, DateTimeOffset start, DateTimeOffset end)
    {
        _asked++;
        var dc = candidate.DataCenter;
        var contractKey = ContractReservations.Key(reservationId, dc.Id, attempt);
        var provider = grains.Reference<IProviderGrain>(homeProvider);
        if (candidate.Tier == Tier.Partner)
        {
            var claims = spec.Items.Select(i => new ContractClaim(i.Resource, i.Amount, federation.ContractFor(homeProvider, dc.Provider, i.Resource)?.MaxAmount ?? 0)).ToArray();
            if (!await provider.TryReserveContractWindowAsync(dc.Provider, contractKey, claims, start, end))
            {
                Trace(candidate, TraceOutcome.Declined, DeclineReasons.ContractVolumeExhausted, null);
                return null;
            }
        }

        OfferResult result;
        try
        {
            result = await grains.Reference<IDataCenterGrain>(dc.Id).ReserveAsync(new ReservationAsk
            {
                ReservationId = reservationId,
                Attempt = attempt,
                Items = spec.Items,
                Priority = spec.Priority,
                Start = start,
                End = end,
            });
        }
        catch (Exception error) when (error is TimeoutException or OrleansException)
        {
            result = OfferResult.Declined(DeclineReasons.Unreachable);
        }

        if (result.Offer is not { } offer)
        {
            Trace(candidate, TraceOutcome.Declined, result.DeclineReason, null);
            await GiveBackContractAsync(candidate, provider, contractKey);
            if (result.DeclineReason == DeclineReasons.Unreachable)
            {
                // It may have booked all the same: a booking nobody acknowledges is asked about by its data center.
                throw new TimeoutException($"data center {dc.Id} could not be reached while booking reservation {reservationId}");
            }

            return null;
        }

        var parts = offer.Held
            .Select((item, i) => new AllocationPart(dc.Id, dc.Provider, candidate.Tier, item.Resource, item.Amount, selector.PriceAt(dc.Provider, dc.ProviderKind, item.Resource, offer.PricesPerUnitHour[i])))
            .ToArray();
        var cost = parts.Sum(p => p.Amount * p.PricePerUnitHour);
        if (spec.Constraints.MaxHourlyCost is { } max && cost > max)
        {
            // Its price rose since the directory saw it: the booking is given back and the next one asked.
            _overBudget++;
            Trace(candidate, TraceOutcome.OverBudget, string.Create(CultureInfo.InvariantCulture, $"{cost} EUR/h is above the maximum of {max} EUR/h"), null);
            await grains.Reference<IDataCenterGrain>(dc.Id).AbandonAsync(reservationId, attempt);
            await GiveBackContractAsync(candidate, provider, contractKey);
            return null;
        }

        Trace(candidate, TraceOutcome.Won, null, candidate.Score);
        return new Allocation { Tier = candidate.Tier, Provider = dc.Provider, Parts = parts };
    }

    private static Task GiveBackContractAsync(Candidate candidate, IProviderGrain provider, string contractKey) =>
        candidate.Tier == Tier.Partner ? provider.AbandonContractAsync(contractKey) : Task.CompletedTask;

    private void Trace(Candidate candidate, TraceOutcome outcome, string? reason, double? score) =>
        _trace.Add(new TraceEntry(candidate.Id, candidate.DataCenter.Provider, outcome, reason, score));

    private Rejection WhyNot() => _asked > 0 && _overBudget == _asked
        ? new Rejection(RejectionCode.OverBudget, "every data center that could hold the reservation costs more than its maximum hourly cost")
        : new Rejection(RejectionCode.NoCapacity, string.Create(CultureInfo.InvariantCulture,
            $"none of the {_asked} data centers asked that meet the constraints has that much capacity free of allocations and other reservations for the whole window"));
}
