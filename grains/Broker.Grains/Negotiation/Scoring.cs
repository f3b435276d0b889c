using Broker.Domain;
using Broker.Federation;

namespace Broker.Grains.Negotiation;

/// <summary>The weighted score that orders candidates and offers within one tier; every term is 0..1.</summary>
internal static class Scoring
{
    public static double Score(ScoreWeights weights, decimal cheapestCost, decimal cost, double utilisationAfter, double locality, double renewableShare)
    {
        var price = cost <= 0 ? 1.0 : (double)(cheapestCost / cost);
        var balance = 1.0 - Math.Clamp(utilisationAfter, 0, 1);
        var total = weights.Price + weights.Balance + weights.Locality + weights.Energy;
        if (total <= 0)
        {
            return 0;
        }

        var weighted = (weights.Price * price) + (weights.Balance * balance) + (weights.Locality * locality) + (weights.Energy * Math.Clamp(renewableShare, 0, 1));
        return Math.Round(weighted / total, 4);
    }

    /// <summary>1 inside the home provider's regions, 0.5 elsewhere in one of its countries, 0 otherwise.</summary>
    public static double Locality(ProviderDefinition? home, string location)
    {
        if (home is null)
        {
            return 0;
        }

        if (home.Regions.Any(region => Residency.Satisfies(location, region)))
        {
            return 1;
        }

        var country = Residency.CountryOf(location);
        return home.Regions.Any(region => Residency.CountryOf(region) == country) ? 0.5 : 0;
    }

    public static Tier TierOf(string provider, ProviderKind kind, string homeProvider) =>
        provider == homeProvider ? Tier.Home : kind == ProviderKind.Partner ? Tier.Partner : Tier.Federation;
}
