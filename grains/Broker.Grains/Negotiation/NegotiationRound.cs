using System.Globalization;
using Broker.DataCenters;
using Broker.Domain;
using Broker.Grains.Federation;
using Broker.Grains.Providers;
using Broker.Grains.Requests;
using Broker.Providers;
using Broker.Requests;

namespace Broker.Grains.Negotiation;

/// <summary>
/// The working memory of one negotiation: whom it asked, what they said (the trace), and the steps of
/// try-confirm-cancel against data center grains and, for partners, the home provider's contracts.
/// </summary>
internal sealed class NegotiationRound(
    string requestId,
    Guid attempt,
    string homeProvider,
    RequestSpec spec,
    CandidateSelector selector,
    IGrainFactory grains,
    TimeProvider time,
    FederationView federation,
    Func<PendingConfirm, Task> recordIntent,
    DateTimeOffset? fixedLeaseEnd = null)
{
    private readonly List<TraceEntry> _trace = [];
    private readonly HashSet<string> _asked = new(StringComparer.Ordinal);
    private readonly HashSet<string> _unreachable = new(StringComparer.Ordinal);
    private int _offersOverBudget;
    private int _offersTotal;
    private int _reservedDeclines;

    /// <summary>
    /// Fixed when the negotiation begins, so that every part of an allocation shares one lease end and every hold is
    /// checked against the reservations ahead up to it; a move keeps the one it has.
    /// </summary>
    public DateTimeOffset LeaseExpiresAt { get; } = fixedLeaseEnd ?? time.GetUtcNow() + spec.Lease;

    public RequestSpec Spec => spec;

    public CandidateSelector Selector => selector;

    /// <summary>Whether some data center declined only because of other requests' holds: worth another try.</summary>
    public bool SawHeldCapacity { get; private set; }

    public bool WasAsked(string dataCenter) => _asked.Contains(dataCenter);

    /// <summary>Starts another pass over the candidates after a pause (the trace keeps what happened before).</summary>
    public void BeginRetry()
    {
        _asked.Clear();
        _unreachable.Clear();
        _reservedDeclines = 0;
        SawHeldCapacity = false;
    }

    /// <summary>Asks the candidates in parallel, then confirms the best offer; cancels every other hold.</summary>
    public async Task<Allocation?> AskAndConfirmAsync(IReadOnlyList<Candidate> batch)
    {
        var offers = await Task.WhenAll(batch.Select(c => AskAsync(c, spec.Items, partial: false)));
        var ranked = Rank(offers.OfType<PricedOffer>().ToList());
        Allocation? won = null;

        // Holds that will not be used are given back at once and together, not one after the other.
        var cancels = new List<Task>();
        foreach (var offer in ranked)
        {
            if (won is not null)
            {
                Trace(offer, TraceOutcome.Outranked, "a better offer won");
                cancels.Add(CancelAsync(offer));
                continue;
            }

            if (spec.Constraints.MaxHourlyCost is { } max && offer.HourlyCost > max)
            {
                _offersOverBudget++;
                Trace(offer, TraceOutcome.OverBudget, string.Create(CultureInfo.InvariantCulture, $"{offer.HourlyCost} EUR/h is above the maximum of {max} EUR/h"));
                cancels.Add(CancelAsync(offer));
                continue;
            }

            if (await ConfirmAsync(offer))
            {
                Trace(offer, TraceOutcome.Won, null);
                won = new Allocation { Tier = offer.Tier, Provider = offer.Offer.Provider, Parts = offer.Parts };
            }
        }

        await Task.WhenAll(cancels);
        return won;
    }

    /// <summary>Asks one data center for a hold; null (and a trace line) if it declines or cannot be reached.</summary>
    public async Task<PricedOffer?> AskAsync(Candidate candidate, RequestItem[] items, bool partial)
    {
        var offer = await CallAsync(candidate, dc => dc.OfferAsync(new HoldRequest
        {
            RequestId = requestId,
            Attempt = attempt,
            Items = items,
            Priority = spec.Priority,
            AllowPartialStorage = partial,
            Until = LeaseExpiresAt,
        }));
        return offer is null ? null : Priced(offer, candidate);
    }

    /// <summary>
    /// One call to a candidate that answers with an offer or a refusal; a refusal, or no answer at all, becomes a trace
    /// line and null. Whoever did not answer may have acted all the same: a hold expires, an allocation nobody
    /// acknowledges is asked about by its data center.
    /// </summary>
    private async Task<Offer?> CallAsync(Candidate candidate, Func<IDataCenterGrain, Task<OfferResult>> call)
    {
        _asked.Add(candidate.Id);
        OfferResult result;
        try
        {
            result = await call(grains.Reference<IDataCenterGrain>(candidate.Id));
        }
        catch (Exception error) when (error is TimeoutException or OrleansException)
        {
            _unreachable.Add(candidate.Id);
            result = OfferResult.Declined(DeclineReasons.Unreachable);
        }

        if (result.DeclineReason == DeclineReasons.NegotiatedElsewhere)
        {
            // Another activation of this request negotiates it (a retry through another silo during a membership
            // change): deciding here could reject what the other allocates. A fault: the client's retry reaches it.
            throw new TimeoutException($"request {requestId} is being negotiated by another activation");
        }

        if (result.Offer is not { } offer)
        {
            SawHeldCapacity |= result.DeclineReason == DeclineReasons.CapacityHeld;
            _reservedDeclines += result.DeclineReason == DeclineReasons.CapacityReserved ? 1 : 0;
            _trace.Add(new TraceEntry(candidate.Id, candidate.DataCenter.Provider, TraceOutcome.Declined, result.DeclineReason, null));
            return null;
        }

        _offersTotal++;
        return offer;
    }

    /// <summary>
    /// Hold and confirm at once at a data center the directory shows clearly fits: one call, durable when it answers.
    /// Null (and a trace line) when it declines after all; the caller then negotiates as usual.
    /// </summary>
    public async Task<Allocation?> AllocateDirectAsync(Candidate candidate)
    {
        var offer = await CallAsync(candidate, dc => dc.AllocateAsync(new HoldRequest { RequestId = requestId, Attempt = attempt, Items = spec.Items, Priority = spec.Priority }, LeaseExpiresAt));
        if (offer is null)
        {
            return null;
        }

        var priced = Priced(offer, candidate);
        priced.Score = candidate.Score;
        if (spec.Constraints.MaxHourlyCost is { } max && priced.HourlyCost > max)
        {
            // Its price rose since the directory saw it: given back, and the usual rounds decide.
            _offersOverBudget++;
            Trace(priced, TraceOutcome.OverBudget, string.Create(CultureInfo.InvariantCulture, $"{priced.HourlyCost} EUR/h is above the maximum of {max} EUR/h"));
            try
            {
                await grains.Reference<IDataCenterGrain>(candidate.Id).AbandonAsync(requestId, attempt);
            }
            catch (Exception error) when (error is TimeoutException or OrleansException)
            {
                // Not a reason to fail the negotiation: the data center asks about the allocation nobody acknowledges.
            }

            return null;
        }

        Trace(priced, TraceOutcome.Won, "allocated at once: the directory showed it clearly fits");
        return new Allocation { Tier = priced.Tier, Provider = offer.Provider, Parts = priced.Parts };
    }

    private PricedOffer Priced(Offer offer, Candidate candidate)
    {
        var parts = offer.Held
            .Select((item, i) => new AllocationPart(
                offer.DataCenter,
                offer.Provider,
                candidate.Tier,
                item.Resource,
                item.Amount,
                selector.PriceAt(offer.Provider, candidate.DataCenter.ProviderKind, item.Resource, offer.PricesPerUnitHour[i])))
            .ToArray();
        return new PricedOffer(offer, candidate.Tier, parts, candidate.DataCenter.ProviderKind);
    }

    /// <summary>Reserves a partner contract's volume where needed, then confirms the hold durably.</summary>
    public async Task<bool> ConfirmAsync(PricedOffer offer)
    {
        if (offer.Tier == Tier.Partner && !await ReserveContractAsync(offer))
        {
            Trace(offer, TraceOutcome.Declined, DeclineReasons.ContractVolumeExhausted);
            await CancelAsync(offer);
            return false;
        }

        await recordIntent(new PendingConfirm(offer.Offer.DataCenter, offer.Offer.HoldId, offer.Parts, offer.Tier, offer.Offer.Provider, LeaseExpiresAt, attempt));
        if (await grains.Reference<IDataCenterGrain>(offer.Offer.DataCenter).ConfirmAsync(offer.Offer.HoldId, requestId, attempt, LeaseExpiresAt))
        {
            return true;
        }

        Trace(offer, TraceOutcome.ConfirmFailed, "hold-expired");
        if (offer.Tier == Tier.Partner)
        {
            await grains.Reference<IProviderGrain>(homeProvider).AbandonContractAsync(ContractReservations.Key(requestId, offer.Offer.DataCenter, attempt));
        }

        return false;
    }

    /// <summary>Undoes confirmed parts of an allocation that could not be completed.</summary>
    public Task ReleaseConfirmedAsync(IEnumerable<PricedOffer> confirmed) =>
        CapacityReturn.AbandonAsync(grains, requestId, attempt, homeProvider, confirmed.SelectMany(c => c.Parts).ToArray());

    public Task CancelAsync(PricedOffer offer) =>
        grains.Reference<IDataCenterGrain>(offer.Offer.DataCenter).CancelHoldAsync(offer.Offer.HoldId);

    public void Trace(PricedOffer offer, TraceOutcome outcome, string? reason) =>
        _trace.Add(new TraceEntry(offer.Offer.DataCenter, offer.Offer.Provider, outcome, reason, offer.Score));

    /// <summary>
    /// Why nobody could serve: the broker's own failure when a data center asked could not be reached (it may have had
    /// the capacity — a client must be able to tell a fault from a full federation), otherwise the federation's answer.
    /// </summary>
    public Rejection WhyUnserved() => _unreachable.Count > 0
        ? new Rejection(RejectionCode.NegotiationFailed, string.Create(CultureInfo.InvariantCulture,
            $"{_unreachable.Count} of the {_asked.Count} data centers asked could not be reached ({string.Join(", ", _unreachable.Order(StringComparer.Ordinal))}); nothing is allocated, try again with a new key"))
        : _offersTotal > 0 && _offersOverBudget == _offersTotal
        ? new Rejection(RejectionCode.OverBudget, "every data center that could serve the request offered above its maximum hourly cost")
        : new Rejection(RejectionCode.NoCapacity, _asked.Count == 0
            ? "no data center that meets the constraints has free capacity now"
            : string.Create(CultureInfo.InvariantCulture, $"none of the {_asked.Count} data centers asked that meet the constraints could serve the request now")
              + (_reservedDeclines == 0 ? "" : string.Create(CultureInfo.InvariantCulture,
                  $"; {_reservedDeclines} of them have the room now but reserved for a window the lease would overlap (a shorter lease may fit)")));

    public NegotiationOutcome Finish(Allocation? allocation, Rejection? rejection) =>
        new(allocation, allocation is null ? rejection : null, _trace.ToArray(), LeaseExpiresAt);

    /// <summary>Tier first, then the score computed from the offer itself (its real price and utilisation).</summary>
    private List<PricedOffer> Rank(List<PricedOffer> offers)
    {
        if (offers.Count == 0)
        {
            return offers;
        }

        var cheapest = offers.Min(o => o.HourlyCost);
        var home = federation.Providers.GetValueOrDefault(homeProvider);
        foreach (var offer in offers)
        {
            offer.Score = Scoring.Score(
                selector.Weights,
                cheapest,
                offer.HourlyCost,
                offer.Offer.UtilisationAfter,
                Scoring.Locality(home, offer.Offer.Location),
                offer.Offer.RenewableShare);
        }

        return offers.OrderBy(o => o.Tier).ThenByDescending(o => o.Score).ThenBy(o => o.Offer.DataCenter, StringComparer.Ordinal).ToList();
    }

    private Task<bool> ReserveContractAsync(PricedOffer offer) =>
        ContractReservations.ReserveAsync(grains, federation, homeProvider, requestId, offer.Offer.DataCenter, offer.Offer.Provider, attempt, offer.Parts, LeaseExpiresAt);
}

/// <summary>An offer with the tenant's prices (a partner's are its home provider's contract prices) and its score.</summary>
internal sealed class PricedOffer(Offer offer, Tier tier, AllocationPart[] parts, ProviderKind kind)
{
    public Offer Offer { get; } = offer;

    public Tier Tier { get; } = tier;

    public AllocationPart[] Parts { get; } = parts;

    public ProviderKind Kind { get; } = kind;

    public decimal HourlyCost => Parts.Sum(p => p.Amount * p.PricePerUnitHour);

    public double? Score { get; set; }
}
