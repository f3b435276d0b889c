using Broker.Faults.Checking.Checks;

namespace Broker.Faults.Checking;

/// <summary>Runs every check over a history and a final state.</summary>
public static class Checker
{
    public static readonly IReadOnlyList<(string Name, Func<CheckInput, IEnumerable<Violation>> Run)> Checks =
    [
        (AcknowledgedAllocations.Name, AcknowledgedAllocations.Check),
        (AnswersStand.Name, AnswersStand.Check),
        (UnknownsResolve.Name, UnknownsResolve.Check),
        (OneRequestPerKey.Name, OneRequestPerKey.Check),
        (PoolLimits.Name, PoolLimits.Check),
        (PoolsBalance.Name, PoolsBalance.Check),
        (ContractLimits.Name, ContractLimits.Check),
        (ChargesExact.Name, ChargesExact.Check),
        (AuditOnce.Name, AuditOnce.Check),
        (RejectionsJustified.Name, RejectionsJustified.Check),
        (RecoveryTimes.Name, RecoveryTimes.Check),
    ];

    public static IReadOnlyList<Violation> Run(CheckInput input) => Checks.SelectMany(c => c.Run(input)).ToList();
}
