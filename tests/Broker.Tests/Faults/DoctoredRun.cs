using Broker.Faults.Checking;
using Broker.Faults.History;

namespace Broker.Tests.Faults;

/// <summary>
/// A small history and final state written by hand for the checker's tests: one member data center with 10 vCPUs at
/// 0.01 €/unit-hour, a partner with 100 under a contract of 5 at 0.02, one tenant. Each test starts from a run that
/// holds and then doctors one thing.
/// </summary>
internal sealed class DoctoredRun
{
    public const string Tenant = "t";
    public static readonly DateTimeOffset T0 = new(2026, 11, 30, 23, 0, 0, TimeSpan.Zero);

    public static readonly FederationModel Federation = FederationModel.Parse("""
        {
          "providers": [
            { "id": "m", "kind": "member", "dataCenters": [ { "id": "m-dc", "location": "DE-HH", "protectionLevel": "high",
                "pools": [ { "resource": "compute.vcpu", "total": 10, "pricePerUnitHour": 0.01 } ] } ],
              "contracts": [ { "partner": "p", "resource": "compute.vcpu", "maxAmount": 5, "pricePerUnitHour": 0.02 } ] },
            { "id": "p", "kind": "partner", "dataCenters": [ { "id": "p-dc", "location": "DE-HE", "protectionLevel": "high",
                "pools": [ { "resource": "compute.vcpu", "total": 100, "pricePerUnitHour": 0.03 } ] } ] }
          ],
          "tenants": [ { "id": "t", "homeProvider": "m" } ]
        }
        """);

    private long _op;

    public List<HistoryEvent> History { get; } = [];

    public Dictionary<string, RequestView?> Requests { get; } = [];

    public List<PoolView> Pools { get; } = [new("m-dc", "compute.vcpu", 10, 0, 0), new("p-dc", "compute.vcpu", 100, 0, 0)];

    public List<ChargeView> Charges { get; } = [];

    public List<AuditView> Audit { get; } = [];

    public List<string> Listed { get; } = [];

    public bool AuditVerified { get; set; } = true;

    public static BodySpec Body(long amount) => new([new ItemSpec("compute.vcpu", amount)], "PT1H", false, "normal", null, null);

    public static RequestView Request(string id, string state, long amount, DateTimeOffset decidedAt, DateTimeOffset? endedAt = null, string dataCenter = "m-dc", string? reason = null)
    {
        var partner = dataCenter == "p-dc";
        var price = partner ? 0.02m : 0.01m;
        PartView[] parts = state == "rejected" || state == "negotiating" ? [] : [new PartView(dataCenter, partner ? "p" : "m", partner ? "partner" : "home", "compute.vcpu", amount, price)];
        return new RequestView(id, Tenant, state, reason, parts.Length == 0 ? null : parts[0].Tier, parts, decidedAt.AddSeconds(-1), state == "negotiating" ? null : decidedAt,
            endedAt, decidedAt.AddDays(1), new SpecView([new ItemSpec("compute.vcpu", amount)], "PT1H", false, "normal", "DE", "normal"));
    }

    /// <summary>
    /// A create of <paramref name="id"/> answered with <paramref name="answer"/> (null: unknown) after <paramref name="answeredAfter"/>
    /// (0.1 s unless given), and what the end state holds.
    /// </summary>
    public DoctoredRun Created(string id, RequestView? answer, DateTimeOffset at, BodySpec? body = null, int silo = 0, TimeSpan? answeredAfter = null)
    {
        Call(Operation.Create, id, at, answer, body ?? Body(answer?.Spec.Items[0].Amount ?? 1), answer is null ? EventType.Unknown : EventType.Ok, answer is null ? 503 : 201, silo, answeredAfter);
        if (answer is not null)
        {
            Store(answer);
        }

        return this;
    }

    public DoctoredRun Call(Operation f, string id, DateTimeOffset at, RequestView? answer, BodySpec? body, EventType outcome, int? status, int silo = 0, TimeSpan? answeredAfter = null)
    {
        var op = ++_op;
        History.Add(new HistoryEvent { Op = op, Type = EventType.Invoke, F = f, At = at, Process = 0, Silo = silo, Tenant = Tenant, Key = id, RequestId = id, Body = body });
        History.Add(new HistoryEvent { Op = op, Type = outcome, F = f, At = at + (answeredAfter ?? TimeSpan.FromMilliseconds(100)), Process = 0, Silo = silo, Tenant = Tenant, Key = id, RequestId = id, Status = status, Request = answer });
        return this;
    }

    /// <summary>Puts <paramref name="final"/> in the end state with everything that holds for it: listing, pool, charges, audit.</summary>
    public DoctoredRun Store(RequestView final)
    {
        if (Requests.TryGetValue(final.Id, out var before) && before is not null)
        {
            Unstore(before);
        }

        Requests[final.Id] = final;
        Listed.Add(final.Id);
        if (final.IsDecided)
        {
            Audit.Add(new AuditView("request.decided", final.Id, final.State == "rejected" ? "rejected:no-capacity" : "allocated"));
        }

        foreach (var part in final.Parts)
        {
            if (final.State == "allocated")
            {
                var i = Pools.FindIndex(p => p.DataCenter == part.DataCenter);
                Pools[i] = Pools[i] with { Allocated = Pools[i].Allocated + part.Amount };
            }
            else
            {
                var hours = (decimal)(final.EndedAt!.Value - final.DecidedAt!.Value).Ticks / TimeSpan.TicksPerHour;
                Charges.Add(new ChargeView(Tenant, final.Id, part.DataCenter, part.Resource, part.Amount, final.DecidedAt!.Value, final.EndedAt!.Value, part.PricePerUnitHour, part.Amount * part.PricePerUnitHour * hours));
            }
        }

        if (final.State is "released" or "expired")
        {
            Audit.Add(new AuditView($"request.{final.State}", final.Id, final.State));
        }

        return this;
    }

    public FinalState Final() => new(Requests, Listed, Pools, Charges, Audit, AuditVerified, T0.AddHours(2));

    public IReadOnlyList<Violation> Check() => Checker.Run(new CheckInput(History, Final(), Federation));

    private void Unstore(RequestView before)
    {
        Listed.Remove(before.Id);
        Audit.RemoveAll(a => a.Subject == before.Id);
        Charges.RemoveAll(c => c.RequestId == before.Id);
        foreach (var part in before.Parts.Where(_ => before.State == "allocated"))
        {
            var i = Pools.FindIndex(p => p.DataCenter == part.DataCenter);
            Pools[i] = Pools[i] with { Allocated = Pools[i].Allocated - part.Amount };
        }
    }
}
