using Broker.Domain;
using Broker.Grains.Directory;
using Broker.Grains.Federation;
using Broker.Grains.Requests;
using Broker.Requests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Broker.Grains.Negotiation;

/// <summary>
/// Contract net with try-confirm-cancel: ask a small set of candidates for offers (each places a hold),
/// confirm the best, cancel the rest; next candidates if nobody could; reject with the reason that decided it.
/// Tiers are strict: a home offer always beats a federation one, a federation offer a partner one.
/// </summary>
public sealed class Negotiator(
    IGrainFactory grains,
    CapacityDirectory directory,
    FederationRegistry federation,
    ClusterViewLoad load,
    IOptions<NegotiationOptions> options,
    [FromKeyedServices(BrokerTime.Key)] TimeProvider time)
{
    private static readonly Tier[] TierOrder = [Tier.Home, Tier.Federation, Tier.Partner];

    // attempt names this negotiation of the request at the data centers (what it confirms is its own to keep or give back);
    // recordIntent is called, and awaited, before each confirm: the request persists it (see PendingConfirm); scope,
    // for a move, keeps the data centers the request is in out and fixes the lease end.
    internal async Task<NegotiationOutcome> NegotiateAsync(string requestId, Guid attempt, string homeProvider, RequestSpec spec, Func<PendingConfirm, Task> recordIntent, NegotiationScope? scope = null)
    {
        // On a silo that has just joined, this request may be the first thing it does: never judge it by an empty view.
        // It fails as a fault (the client gets 503 and retries; a stored request resumes) — waiting here instead held
        // negotiations on a rejoining silo long enough to stall its start.
        if (!load.IsLoaded)
        {
            throw new TimeoutException("this silo has not loaded the federation yet");
        }

        var settings = options.Value;
        var view = federation.Current;
        var selector = new CandidateSelector(spec, homeProvider, view, settings.Weights, scope?.Excluded);
        var round = new NegotiationRound(requestId, attempt, homeProvider, spec, selector, grains, time, view, recordIntent, scope?.LeaseExpiresAt);

        // No compensation here on a fault: every confirm was recorded first, and the request releases those.
        return await NegotiateAsync(round, selector, spec, settings);
    }

    private async Task<NegotiationOutcome> NegotiateAsync(NegotiationRound round, CandidateSelector selector, RequestSpec spec, NegotiationOptions settings)
    {
        // A bundle needs every class in one data center: those offering the first class are all there is to look at.
        // Per tier a pass asks at most RoundsPerTier rounds of those that look free, and the last round of a pass
        // asks the best not yet asked: so that many more of those looking free, and a round of those looking full.
        var k = settings.CandidatesPerRound;
        var (candidates, rejection) = selector.ForBundle(
            directory.OfferingInRandomOrder(spec.Items[0].Resource), directory.Find, (settings.RoundsPerTier + 1) * k, k, settings.CandidateSample);
        if (rejection is null && await TryBundleAsync(round, candidates, settings) is { } allocation)
        {
            return round.Finish(allocation, null);
        }

        // Not served by what this silo's directory knows: registered data centers missing from it may serve. After a silo
        // joins, or the whole cluster restarts, the directory refills only as data centers wake and republish; until then
        // a known one that looks full or is draining must not hide an unseen one with room (a request after a restart was
        // rejected "no capacity" beside a free data center that had not woken yet). Those are asked themselves.
        if (rejection?.Code is null or RejectionCode.Unsatisfiable && DirectoryGap.Unseen(federation.Current, directory) is { Count: > 0 } unseen)
        {
            var (missing, _) = selector.ForBundle([.. unseen.Keys], unseen.GetValueOrDefault, (settings.RoundsPerTier + 1) * k, k, settings.CandidateSample);
            if (missing.Count > 0)
            {
                rejection = null;
                if (await TryBundleAsync(round, missing, settings) is { } found)
                {
                    return round.Finish(found, null);
                }
            }
        }

        if (spec.Splittable && spec.Items.Any(i => ResourceClasses.IsStorage(i.Resource)))
        {
            var offeringAny = spec.Items.SelectMany(i => directory.Offering(i.Resource)).DistinctBy(dc => dc.Id).ToList();
            var split = await new SplitNegotiation(round, selector.ForSplit(offeringAny), settings).RunAsync();
            if (split is not null)
            {
                return round.Finish(split, null);
            }

            if (rejection?.Code == RejectionCode.Unsatisfiable && selector.ForSplit(offeringAny).Count > 0)
            {
                rejection = null;
            }
        }

        return round.Finish(null, rejection ?? round.WhyUnserved());
    }

    /// <summary>
    /// Passes over the candidates; another pass (bounded, after a short jittered pause) only when some data
    /// center declined because of other requests' holds, which end within a round — so under a burst a
    /// request is not turned away while capacity is merely held by offers about to be cancelled.
    /// </summary>
    private static async Task<Allocation?> TryBundleAsync(NegotiationRound round, IReadOnlyList<Candidate> candidates, NegotiationOptions settings)
    {
        if (DirectChoice(candidates, settings.CandidatesPerRound) is { } clear && await round.AllocateDirectAsync(clear) is { } allocated)
        {
            return allocated;
        }

        for (var pass = 0; ; pass++)
        {
            var allocation = await PassAsync(round, candidates, settings);
            if (allocation is not null || !round.SawHeldCapacity || pass >= settings.HeldCapacityRetries)
            {
                return allocation;
            }

            round.BeginRetry();
            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(2, 10) * (pass + 1)));
        }
    }

    /// <summary>
    /// When the best tier that looks free has data centers that clearly fit, one of its best few, at random: allocated in
    /// one call instead of an offer round. Random among the best few so that a burst deciding on the same directory
    /// spreads over several data centers instead of queueing at one. Partners go through offers (their contract
    /// volume is reserved before the confirm).
    /// </summary>
    private static Candidate? DirectChoice(IReadOnlyList<Candidate> candidates, int few)
    {
        var best = candidates.FirstOrDefault(c => c.LooksFree);
        if (best is null || best.Tier == Tier.Partner)
        {
            return null;
        }

        var clear = candidates.Where(c => c.Tier == best.Tier && c.ClearlyFits).Take(few).ToList();
        return clear.Count == 0 ? null : clear[Random.Shared.Next(clear.Count)];
    }

    private static async Task<Allocation?> PassAsync(NegotiationRound round, IReadOnlyList<Candidate> candidates, NegotiationOptions settings)
    {
        var k = settings.CandidatesPerRound;
        foreach (var tier in TierOrder)
        {
            var inTier = candidates.Where(c => c.Tier == tier && c.LooksFree).ToList();
            for (var r = 0; r < settings.RoundsPerTier && r * k < inTier.Count; r++)
            {
                var allocation = await round.AskAndConfirmAsync(inTier.Skip(r * k).Take(k).ToList());
                if (allocation is not null)
                {
                    return allocation;
                }
            }
        }

        // The directory may lag: one last round over the best candidates it thought were full.
        var unasked = candidates.Where(c => !round.WasAsked(c.Id)).Take(k).ToList();
        return unasked.Count > 0 ? await round.AskAndConfirmAsync(unasked) : null;
    }
}
