namespace Broker.Contracts;

/// <summary>
/// A provider's statement for one period: per counterparty what it charged and was charged, and the net; amounts in
/// <see cref="Currency"/>, rounded half to even to 6 places, <see cref="NetDue"/> to the cent.
/// </summary>
public sealed record ProviderStatement(string Provider, string Period, string Currency, CounterpartyLine[] Counterparties, decimal Charged, decimal ChargedBy, decimal Net, decimal NetDue);

/// <summary><see cref="Charged"/>: what the provider charged the counterparty; <see cref="ChargedBy"/>: what the counterparty charged the provider.</summary>
public sealed record CounterpartyLine(PartyResource Counterparty, decimal Charged, decimal ChargedBy, decimal Net);

public sealed record PartyResource(PartyKind Kind, string Id);

/// <summary>A tenant's bill for one period, per request; amounts in <see cref="Currency"/>, rounded half to even to 6 places, <see cref="TotalDue"/> to the cent.</summary>
public sealed record TenantBill(string Tenant, string Period, string Currency, BillRequestLine[] Requests, decimal Total, decimal TotalDue);

public sealed record BillRequestLine(string RequestId, BillEntry[] Entries, decimal Cost);

public sealed record BillEntry(string DataCenter, string ServedBy, string Resource, long Amount, DateTimeOffset From, DateTimeOffset To, decimal PricePerUnitHour, decimal Cost);
