using Broker.Contracts;
using Broker.Ledger;

namespace Broker.Silo.Api;

/// <summary>A ledger party as the wire shows it (a static extension, as in <see cref="RequestMapping"/>).</summary>
public static class BillingMapping
{
    extension(PartyResource)
    {
        public static PartyResource From(Party party) => new(party.Kind.ToWire(), party.Id);
    }
}
