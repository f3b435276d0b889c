using System.Collections.Frozen;
using Broker.Domain;
using Broker.Ledger;
using Broker.Requests;
using Wire = Broker.Contracts;

namespace Broker.Silo.Api;

/// <summary>
/// The grains' enums to the wire's and back. Mapped by member name, not by number: the grains' numbers are stored and
/// must never move, the wire's are nobody's business, and the two sets name the same members. A member without a
/// namesake (the grains' <c>RequestState.None</c>, which no answer shows) throws; a unit test maps every member both ways.
/// </summary>
public static class WireEnums
{
    public static Wire.ProtectionLevel ToWire(this ProtectionLevel value) => ByName<ProtectionLevel, Wire.ProtectionLevel>.Map(value);

    public static Wire.Priority ToWire(this Priority value) => ByName<Priority, Wire.Priority>.Map(value);

    public static Wire.RequestState ToWire(this RequestState value) => ByName<RequestState, Wire.RequestState>.Map(value);

    public static Wire.Tier ToWire(this Tier value) => ByName<Tier, Wire.Tier>.Map(value);

    public static Wire.ProviderKind ToWire(this ProviderKind value) => ByName<ProviderKind, Wire.ProviderKind>.Map(value);

    public static Wire.PartyKind ToWire(this PartyKind value) => ByName<PartyKind, Wire.PartyKind>.Map(value);

    public static Wire.RejectionCode ToWire(this RejectionCode value) => ByName<RejectionCode, Wire.RejectionCode>.Map(value);

    public static Wire.TraceOutcome ToWire(this TraceOutcome value) => ByName<TraceOutcome, Wire.TraceOutcome>.Map(value);

    public static Wire.ReservationState ToWire(this Broker.Reservations.ReservationState value) => ByName<Broker.Reservations.ReservationState, Wire.ReservationState>.Map(value);

    public static Wire.DrainState ToWire(this Broker.DataCenters.DrainState value) => ByName<Broker.DataCenters.DrainState, Wire.DrainState>.Map(value);

    public static ProtectionLevel ToDomain(this Wire.ProtectionLevel value) => ByName<Wire.ProtectionLevel, ProtectionLevel>.Map(value);

    public static Priority ToDomain(this Wire.Priority value) => ByName<Wire.Priority, Priority>.Map(value);

    public static RequestState ToDomain(this Wire.RequestState value) => ByName<Wire.RequestState, RequestState>.Map(value);

    public static ProviderKind ToDomain(this Wire.ProviderKind value) => ByName<Wire.ProviderKind, ProviderKind>.Map(value);

    /// <summary>One table per pair of enums, built once.</summary>
    private static class ByName<TFrom, TTo>
        where TFrom : struct, Enum
        where TTo : struct, Enum
    {
        private static readonly FrozenDictionary<TFrom, TTo> Table = Enum.GetValues<TFrom>()
            .Where(from => Enum.IsDefined(typeof(TTo), from.ToString()))
            .ToFrozenDictionary(from => from, from => Enum.Parse<TTo>(from.ToString()));

        public static TTo Map(TFrom value) => Table.TryGetValue(value, out var to)
            ? to
            : throw new InvalidOperationException($"{typeof(TFrom).FullName}.{value} has no namesake in {typeof(TTo).FullName}");
    }
}
