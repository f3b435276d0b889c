using Broker.Ledger;
using Broker.Requests;
using Broker.Silo.Api;
using Wire = Broker.Contracts;

namespace Broker.Tests.Units;

/// <summary>The grains' enums and the wire's name the same members, so that the silo's by-name mapping loses none.</summary>
public sealed class WireEnumsTests
{
    [Fact]
    public void ToWire_EveryGrainMemberHasItsNamesake_AndTheWireNoOther()
    {
        Namesakes<ProtectionLevel, Wire.ProtectionLevel>(v => v.ToWire());
        Namesakes<Priority, Wire.Priority>(v => v.ToWire());
        Namesakes<RequestState, Wire.RequestState>(v => v.ToWire(), RequestState.None);
        Namesakes<Tier, Wire.Tier>(v => v.ToWire());
        Namesakes<ProviderKind, Wire.ProviderKind>(v => v.ToWire());
        Namesakes<PartyKind, Wire.PartyKind>(v => v.ToWire());
        Namesakes<RejectionCode, Wire.RejectionCode>(v => v.ToWire());
        Namesakes<TraceOutcome, Wire.TraceOutcome>(v => v.ToWire());
        Namesakes<Broker.Reservations.ReservationState, Wire.ReservationState>(v => v.ToWire(), Broker.Reservations.ReservationState.None);
        Namesakes<Broker.DataCenters.DrainState, Wire.DrainState>(v => v.ToWire());
    }

    [Fact]
    public void ToDomain_EveryWireMemberComesBackAsItWent()
    {
        Assert.All(Enum.GetValues<Wire.ProtectionLevel>(), w => Assert.Equal(w, w.ToDomain().ToWire()));
        Assert.All(Enum.GetValues<Wire.Priority>(), w => Assert.Equal(w, w.ToDomain().ToWire()));
        Assert.All(Enum.GetValues<Wire.RequestState>(), w => Assert.Equal(w, w.ToDomain().ToWire()));
        Assert.All(Enum.GetValues<Wire.ProviderKind>(), w => Assert.Equal(w, w.ToDomain().ToWire()));
    }

    [Fact]
    public void ToWire_TheEmptyRequestState_IsNoAnswerAndThrows()
    {
        var error = Assert.Throws<InvalidOperationException>(() => RequestState.None.ToWire());

        Assert.Equal("Broker.Domain.RequestState.None has no namesake in Broker.Contracts.RequestState", error.Message);
    }

    /// <summary>Each grain member but the <paramref name="unshown"/> maps to the wire member of its name, and the wire has exactly those.</summary>
    private static void Namesakes<TDomain, TWire>(Func<TDomain, TWire> toWire, params TDomain[] unshown)
        where TDomain : struct, Enum
        where TWire : struct, Enum
    {
        var shown = Enum.GetValues<TDomain>().Except(unshown).ToArray();

        Assert.Equal(shown.Select(v => v.ToString()), shown.Select(v => toWire(v).ToString()));
        Assert.Equal(shown.Select(v => v.ToString()).Order(StringComparer.Ordinal), Enum.GetNames<TWire>().Order(StringComparer.Ordinal));
    }
}
