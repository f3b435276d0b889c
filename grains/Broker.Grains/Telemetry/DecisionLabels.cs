using System.Collections.Frozen;
using System.Diagnostics;
using Broker.Domain;
using Broker.Grains.Negotiation;

namespace Broker.Grains.Telemetry;

/// <summary>
/// The labels of a decision — <c>outcome</c>: <c>allocated</c> or the rejection's reason code, <c>tier</c>: where it was
/// served or <c>none</c> — spelled as the API spells them and made once, so a decision costs only its tag list.
/// </summary>
internal static class DecisionLabels
{
    private static readonly FrozenDictionary<RejectionCode, string> Rejections = Enum.GetValues<RejectionCode>().ToFrozenDictionary(code => code, Wire.Kebab);

    private static readonly FrozenDictionary<Tier, string> Tiers = Enum.GetValues<Tier>().ToFrozenDictionary(tier => tier, Wire.Kebab);

    public static TagList Of(Tier? tier, RejectionCode? rejection) => new()
    {
        { "outcome", rejection is { } code ? Rejections[code] : "allocated" },
        { "tier", tier is { } served ? Tiers[served] : "none" },
    };
}
