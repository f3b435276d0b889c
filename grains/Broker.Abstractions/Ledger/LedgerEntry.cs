namespace Broker.Ledger;

/// <summary>
/// One charge: <see cref="Payer"/> owes <see cref="Payee"/> for <see cref="Amount"/> units of a resource over
/// [<see cref="From"/>, <see cref="To"/>) at a price. Entries never span a billing period (a calendar month, UTC).
/// </summary>
[GenerateSerializer, Immutable, Alias("broker.ledger-entry")]
public sealed record LedgerEntry
{
    /// <summary>Unique per request, part, period and leg, so posting twice records once.</summary>
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required string Period { get; init; }
    [Id(2)] public required string RequestId { get; init; }
    [Id(3)] public required string Tenant { get; init; }
    [Id(4)] public required Party Payer { get; init; }
    [Id(5)] public required Party Payee { get; init; }
    [Id(6)] public required string DataCenter { get; init; }
    [Id(7)] public required string Resource { get; init; }
    [Id(8)] public required long Amount { get; init; }
    [Id(9)] public required DateTimeOffset From { get; init; }
    [Id(10)] public required DateTimeOffset To { get; init; }
    [Id(11)] public required decimal PricePerUnitHour { get; init; }
    [Id(12)] public required decimal Cost { get; init; }
}

[GenerateSerializer, Immutable, Alias("broker.party")]
public sealed record Party([property: Id(0)] PartyKind Kind, [property: Id(1)] string Id)
{
    public static Party Provider(string id) => new(PartyKind.Provider, id);

    public static Party Tenant(string id) => new(PartyKind.Tenant, id);

    public override string ToString() => $"{(Kind == PartyKind.Provider ? "provider" : "tenant")}:{Id}";
}

public enum PartyKind
{
    Provider = 0,
    Tenant = 1,
}
