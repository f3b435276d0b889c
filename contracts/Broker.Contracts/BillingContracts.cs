namespace Broker.Contracts;

/// <summary>
/// A provider's statement for one period: per counterparty what it charged and was charged, and the net; amounts in
/// <see cref="Currency"/>, rounded half to even to 6 places, <see cref="NetDue"/> to the cent.
/// <see cref="Charges"/>: every charge behind the figures, one per row of the statement's CSV, running ones accrued up to now.
/// </summary>
public sealed record ProviderStatement(string Provider, string Period, string Currency, CounterpartyLine[] Counterparties, decimal Charged, decimal ChargedBy, decimal Net, decimal NetDue, StatementCharge[] Charges);

/// <summary>
/// One charge of a statement: <see cref="Payer"/> owes <see cref="Payee"/> for a part of a tenant's request over
/// [<see cref="From"/>, <see cref="To"/>); <see cref="Running"/> while the allocation runs (then <see cref="To"/> is now, or the month's end).
/// </summary>
public sealed record StatementCharge(string RequestId, string Tenant, PartyResource Payer, PartyResource Payee, string DataCenter, string ServedBy, string Resource, long Amount, DateTimeOffset From, DateTimeOffset To, decimal PricePerUnitHour, decimal Cost, bool Running);

/// <summary><see cref="Charged"/>: what the provider charged the counterparty; <see cref="ChargedBy"/>: what the counterparty charged the provider.</summary>
public sealed record CounterpartyLine(PartyResource Counterparty, decimal Charged, decimal ChargedBy, decimal Net);

public sealed record PartyResource(PartyKind Kind, string Id);

/// <summary>A tenant's bill for one period, per request; amounts in <see cref="Currency"/>, rounded half to even to 6 places, <see cref="TotalDue"/> to the cent.</summary>
public sealed record TenantBill(string Tenant, string Period, string Currency, BillRequestLine[] Requests, decimal Total, decimal TotalDue);

public sealed record BillRequestLine(string RequestId, BillEntry[] Entries, decimal Cost);

/// <summary>A stretch of use; <see cref="Running"/> while the allocation runs (then <see cref="To"/> is now, or the month's end).</summary>
public sealed record BillEntry(string DataCenter, string ServedBy, string Resource, long Amount, DateTimeOffset From, DateTimeOffset To, decimal PricePerUnitHour, decimal Cost, bool Running);

/// <summary>
/// The settlement between providers for one period (computed by the silo's SettlementNetting): per pair what each charged the
/// other, per provider its net position, and the transfers that settle them all; <see cref="TransfersMinimal"/> when
/// the transfers are known to be the fewest possible.
/// </summary>
public sealed record Settlement(string Period, string Currency, SettlementPair[] Pairs, SettlementPosition[] Positions, SettlementTransfer[] Transfers, bool TransfersMinimal);

/// <summary>Two providers (<see cref="A"/> before <see cref="B"/>, ordinal): what each charged the other; <see cref="Net"/> is what B owes A after offsetting (negative: A owes B).</summary>
public sealed record SettlementPair(string A, string B, decimal AChargedB, decimal BChargedA, decimal Net);

/// <summary>A provider's position: what it charged other providers, what they charged it, and the net owed to it (negative: it owes).</summary>
public sealed record SettlementPosition(string Provider, decimal Charged, decimal ChargedBy, decimal Net);

/// <summary>A payment that, with the others, settles every position.</summary>
public sealed record SettlementTransfer(string From, string To, decimal Amount);
