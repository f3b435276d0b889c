namespace Broker.Faults.Checking;

/// <summary>One thing the history and the final state show that must not happen: which check, about what, and the evidence.</summary>
public sealed record Violation(string Check, string Subject, string Detail);
