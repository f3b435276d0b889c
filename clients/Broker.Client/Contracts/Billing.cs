namespace Broker.Client;

/// <summary>A provider's statement for one period: per counterparty what it charged and was charged, and the net.</summary>
public sealed record ProviderStatement(string Provider, string Period, IReadOnlyList<CounterpartyLine> Counterparties, decimal Charged, decimal ChargedBy, decimal Net);

public sealed record CounterpartyLine(Party Counterparty, decimal Charged, decimal ChargedBy, decimal Net);

public sealed record Party(PartyKind Kind, string Id);

/// <summary>A tenant's bill for one period, per request.</summary>
public sealed record TenantBill(string Tenant, string Period, IReadOnlyList<BillRequestLine> Requests, decimal Total);

public sealed record BillRequestLine(string RequestId, IReadOnlyList<BillEntry> Entries, decimal Cost);

public sealed record BillEntry(string DataCenter, string ServedBy, string Resource, long Amount, DateTimeOffset From, DateTimeOffset To, decimal PricePerUnitHour, decimal Cost);
