using Broker.Faults.Checking;
using Broker.Faults.Checking.Checks;
using Broker.Faults.History;

namespace Broker.Tests.Faults;

/// <summary>
/// The fault run's checker catches each kind of violation: every test doctors one thing in a history and final
/// state that hold, and expects exactly the check that names it to fire — and, in the first test, nothing on the
/// untouched run.
/// </summary>
public sealed class CheckerTests
{
    private static readonly DateTimeOffset T0 = DoctoredRun.T0;

    /// <summary>A run where everything holds: an allocation released, one still live, one at a partner, one rejected.</summary>
    private static DoctoredRun Holding()
    {
        var run = new DoctoredRun();
        run.Created("r-1", DoctoredRun.Request("r-1", "allocated", 4, T0), T0);
        run.Call(Operation.Release, "r-1", T0.AddMinutes(30), DoctoredRun.Request("r-1", "released", 4, T0, T0.AddMinutes(30)), null, EventType.Ok, 200);
        run.Store(DoctoredRun.Request("r-1", "released", 4, T0, T0.AddMinutes(30)));
        run.Created("r-2", DoctoredRun.Request("r-2", "allocated", 6, T0), T0);
        run.Created("r-3", DoctoredRun.Request("r-3", "allocated", 5, T0, dataCenter: "p-dc"), T0);
        run.Created("r-4", DoctoredRun.Request("r-4", "rejected", 9, T0, reason: "no-capacity"), T0);
        return run;
    }

    [Fact]
    public void AHistoryThatHolds_HasNoViolation()
    {
        Assert.Empty(Holding().Check());
    }

    [Fact]
    public void AnAcknowledgedAllocationThatIsGone_IsCaught()
    {
        var run = Holding();
        run.Requests["r-2"] = null;
        run.Listed.Remove("r-2");
        run.Audit.RemoveAll(a => a.Subject == "r-2");
        run.Pools[0] = run.Pools[0] with { Allocated = 0 };

        Assert.Contains(AcknowledgedAllocations.Name, Checks(run));
    }

    [Fact]
    public void ARejectionThatLaterReadsAllocated_IsCaught()
    {
        // 201 rejected to the client, then the stored request says allocated (the decision-path defect).
        var run = Holding();
        run.Created("r-5", DoctoredRun.Request("r-5", "rejected", 1, T0.AddMinutes(31), reason: "no-capacity"), T0.AddMinutes(31));
        run.Store(DoctoredRun.Request("r-5", "allocated", 1, T0.AddMinutes(31)));

        Assert.Equal([AnswersStand.Name], Checks(run));
    }

    [Fact]
    public void ARequestThatVanishesAfterA503_IsCaught()
    {
        // 202 negotiating, then a 503, then 404 — and gone from the end state.
        var run = Holding();
        var pending = DoctoredRun.Request("r-5", "negotiating", 1, T0);
        run.Call(Operation.Create, "r-5", T0.AddMinutes(1), pending, DoctoredRun.Body(1), EventType.Ok, 202);
        run.Call(Operation.Read, "r-5", T0.AddMinutes(2), null, null, EventType.Unknown, 503);
        run.Call(Operation.Read, "r-5", T0.AddMinutes(3), null, null, EventType.Fail, 404);
        run.Requests["r-5"] = null;

        Assert.Equal([AnswersStand.Name, AnswersStand.Name], Checks(run)); // later 404, and finally 404
    }

    [Fact]
    public void AnUnknownCreateLeftNegotiating_IsCaught()
    {
        var run = Holding();
        run.Created("r-5", null, T0.AddMinutes(1));
        run.Requests["r-5"] = DoctoredRun.Request("r-5", "negotiating", 1, T0.AddMinutes(1));
        run.Listed.Add("r-5");

        Assert.Equal([UnknownsResolve.Name], Checks(run));
    }

    [Fact]
    public void TwoBodiesAcceptedForOneKey_IsCaught()
    {
        var run = Holding();
        var request = DoctoredRun.Request("r-5", "allocated", 1, T0.AddMinutes(31));
        run.Created("r-5", request, T0.AddMinutes(31));
        run.Call(Operation.Create, "r-5", T0.AddMinutes(31), request, DoctoredRun.Body(2), EventType.Ok, 200, silo: 1);

        Assert.Equal([OneRequestPerKey.Name, OneRequestPerKey.Name], Checks(run)); // two bodies, and one answered with the other's request
    }

    [Fact]
    public void ARequestNoClientCreated_IsCaught()
    {
        var run = Holding();
        run.Listed.Add("r-stray");

        Assert.Equal([OneRequestPerKey.Name], Checks(run));
    }

    [Fact]
    public void APoolOverItsLimitInASample_IsCaught()
    {
        var run = Holding();
        run.History.Add(new HistoryEvent { Op = 900, Type = EventType.Invoke, F = Operation.Pools, At = T0.AddMinutes(5) });
        run.History.Add(new HistoryEvent { Op = 900, Type = EventType.Ok, F = Operation.Pools, At = T0.AddMinutes(5), Pools = [new("m-dc", "compute.vcpu", 10, 9, 2)] });

        Assert.Equal([PoolLimits.Name], Checks(run));
    }

    [Fact]
    public void AllocationsThatOverlapBeyondThePool_AreCaught()
    {
        // Every sample and the end state fit; the requests' own lifetimes show 18 of 10 held from minute 10 to 20.
        var run = Holding();
        run.Created("r-5", DoctoredRun.Request("r-5", "allocated", 8, T0.AddMinutes(10)), T0.AddMinutes(10));
        var released = DoctoredRun.Request("r-5", "released", 8, T0.AddMinutes(10), T0.AddMinutes(20));
        run.Call(Operation.Release, "r-5", T0.AddMinutes(20), released, null, EventType.Ok, 200);
        run.Store(released);

        Assert.Equal([PoolLimits.Name], Checks(run));
    }

    [Fact]
    public void LeakedAndOrphanedUnits_AreCaught()
    {
        var run = Holding();
        run.Pools[0] = run.Pools[0] with { Allocated = 7 }; // one unit no request claims
        run.Pools[1] = run.Pools[1] with { Allocated = 4 }; // one unit a request claims, not counted

        Assert.Equal([PoolsBalance.Name, PoolsBalance.Name], Checks(run));
    }

    [Fact]
    public void APartnerBeyondItsContractVolume_IsCaught()
    {
        // 5 + 1 of a contract of 5: the "504 of 500" kind.
        var run = Holding();
        run.Created("r-5", DoctoredRun.Request("r-5", "allocated", 1, T0.AddMinutes(1), dataCenter: "p-dc"), T0.AddMinutes(1));

        Assert.Equal([ContractLimits.Name], Checks(run));
    }

    [Fact]
    public void AChargeAtTheBrokersOwnWrongPrice_IsCaught()
    {
        var run = Holding();
        var charge = run.Charges.Single(c => c.RequestId == "r-1");
        run.Charges.Remove(charge);
        run.Charges.Add(charge with { PricePerUnitHour = 0.011m, Cost = charge.Amount * 0.011m * 0.5m });

        Assert.Equal([ChargesExact.Name], Checks(run));
    }

    [Fact]
    public void AnAllocationChargedTwice_IsCaught()
    {
        var run = Holding();
        run.Charges.Add(run.Charges.Single(c => c.RequestId == "r-1"));

        Assert.Equal([ChargesExact.Name], Checks(run));
    }

    [Fact]
    public void ALiveAllocationAlreadyCharged_IsCaught()
    {
        var run = Holding();
        run.Charges.Add(new ChargeView(DoctoredRun.Tenant, "r-2", "m-dc", "compute.vcpu", 6, T0, T0.AddHours(1), 0.01m, 0.06m));

        Assert.Equal([ChargesExact.Name], Checks(run));
    }

    [Fact]
    public void ADecisionAuditedTwice_IsCaught()
    {
        var run = Holding();
        run.Audit.Add(run.Audit.First(a => a.Subject == "r-2"));

        Assert.Equal([AuditOnce.Name], Checks(run));
    }

    [Fact]
    public void ATrailThatDoesNotVerify_IsCaught()
    {
        var run = Holding();
        run.AuditVerified = false;

        Assert.Equal([AuditOnce.Name], Checks(run));
    }

    [Fact]
    public void UnsatisfiableForARequestTheFederationCouldServe_IsCaught()
    {
        // The kind seen while a silo rejoined: data centers missing from the broker's view.
        var run = Holding();
        run.Created("r-5", DoctoredRun.Request("r-5", "rejected", 3, T0, reason: "unsatisfiable"), T0.AddMinutes(1));

        Assert.Equal([RejectionsJustified.Name], Checks(run));
    }

    [Fact]
    public void UnsatisfiableForARequestNoDataCenterCanHold_IsNoViolation()
    {
        var run = Holding();
        var request = DoctoredRun.Request("r-5", "rejected", 500, T0, reason: "unsatisfiable");
        run.Created("r-5", request, T0.AddMinutes(1));

        Assert.Empty(run.Check());
    }

    [Fact]
    public void ServiceBackOnlyAfterFiveSeconds_IsCaught()
    {
        var run = Holding();
        var fault = T0.AddMinutes(40);
        SiloFault(run, "kill", fault, healedAfter: 2);
        run.Created("r-5", DoctoredRun.Request("r-5", "allocated", 1, fault.AddSeconds(7)), fault.AddSeconds(6.5), silo: 0);
        run.Created("r-6", DoctoredRun.Request("r-6", "allocated", 1, fault.AddSeconds(1)), fault.AddSeconds(0.5), silo: 1); // through the silo that was hit: no proof

        Assert.Equal([RecoveryTimes.Name], Checks(run));
        Assert.Equal(TimeSpan.FromSeconds(6.6), RecoveryTimes.Of(new CheckInput(run.History, run.Final(), DoctoredRun.Federation)).Single().After);
    }

    [Fact]
    public void ServiceBack_IsTheFirstAnswer_NotTheAnswerToTheFirstCall()
    {
        // A call begun during the fault may hang until the silo is declared dead while a later one is served at once:
        // the service was back when that later one was answered (the checker used to take the first call begun).
        var run = Holding();
        var fault = T0.AddMinutes(40);
        SiloFault(run, "pause", fault, healedAfter: 8);
        run.Created("r-7", DoctoredRun.Request("r-7", "allocated", 1, fault.AddSeconds(7)), fault.AddSeconds(1), silo: 0, answeredAfter: TimeSpan.FromSeconds(6));
        run.Created("r-8", DoctoredRun.Request("r-8", "allocated", 1, fault.AddSeconds(2.1)), fault.AddSeconds(2), silo: 2);

        Assert.Empty(Checks(run));
        Assert.Equal(TimeSpan.FromSeconds(2.1), RecoveryTimes.Of(new CheckInput(run.History, run.Final(), DoctoredRun.Federation)).Single().After);
    }

    /// <summary>A fault of silo 1 at <paramref name="at"/>, healed <paramref name="healedAfter"/> seconds later.</summary>
    private static void SiloFault(DoctoredRun run, string code, DateTimeOffset at, double healedAfter)
    {
        run.History.Add(new HistoryEvent { Op = 901, Type = EventType.Fault, F = Operation.Nemesis, At = at, Silo = 1, Code = code });
        run.History.Add(new HistoryEvent { Op = 902, Type = EventType.Heal, F = Operation.Nemesis, At = at.AddSeconds(healedAfter), Silo = 1, Code = code });
    }

    private static List<string> Checks(DoctoredRun run) => run.Check().Select(v => v.Check).ToList();
}
