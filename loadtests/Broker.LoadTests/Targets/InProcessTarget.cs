using Broker.Audit;
using Broker.Domain;
using Broker.LoadTests.Demand;
using Broker.LoadTests.World;
using Broker.Requests;
using Broker.Silo.Api;

namespace Broker.LoadTests.Targets;

/// <summary>
/// The broker's grains without HTTP: an embedded silo called through its Orleans client. These are the raw
/// broker figures; HTTP, authentication and JSON come on top in <see cref="HttpTarget"/>. Every
/// <see cref="PrepareAsync"/> starts a fresh embedded broker, so phases never share state.
/// </summary>
public sealed class InProcessTarget : IBrokerTarget
{
    private static readonly TimeSpan DecisionWait = TimeSpan.FromSeconds(30);
    private EmbeddedBroker? _broker;

    public string Mode => "in-process";

    public string TrivialCallName => "an empty grain call";

    /// <summary>The embedded broker's grains, for scenarios that drive more than requests (reservations, drains).</summary>
    public IGrainFactory Grains => Broker.Grains;

    /// <summary>The embedded silo's capacity directory: every data center's latest published summary.</summary>
    public Broker.Grains.Directory.CapacityDirectory Directory => Broker.Directory;

    /// <summary>How many moves one drain has in flight at once in the embedded broker.</summary>
    public int MaxMovesInFlight => Broker.MaxMovesInFlight;

    private EmbeddedBroker Broker => _broker ?? throw new InvalidOperationException("PrepareAsync first");

    public async Task PrepareAsync(LoadWorld world, CancellationToken cancellationToken)
    {
        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }

        _broker = await EmbeddedBroker.StartAsync(world, cancellationToken);
    }

    public async Task<Decision> RequestAsync(Arrival arrival, string key, bool isolated, CancellationToken cancellationToken)
    {
        var grain = Grains.Reference<IRequestGrain>(RequestIds.FromIdempotencyKey(arrival.Tenant.Id, key));
        // One call: the grain answers with its decision (durable), as the HTTP edge's POST does.
        var submitted = await grain.SubmitAsync(new SubmitCommand(arrival.Tenant.Id, arrival.Tenant.HomeProvider, ToSpec(arrival, isolated), ActorOf(arrival)), DecisionWait);
        return ToDecision(submitted.Request, grain.GetPrimaryKeyString());
    }

    public async Task<Decision> ResolveAsync(Arrival arrival, string key, bool isolated, CancellationToken cancellationToken)
    {
        var grain = Grains.Reference<IRequestGrain>(RequestIds.FromIdempotencyKey(arrival.Tenant.Id, key));
        return ToDecision(await grain.WaitForDecisionAsync(DecisionWait), grain.GetPrimaryKeyString());
    }

    public Task ReleaseAsync(Arrival arrival, string requestId, CancellationToken cancellationToken) =>
        Grains.Reference<IRequestGrain>(requestId).ReleaseAsync(ActorOf(arrival));

    // The audit trail names the tenant, as for a call over HTTP; the credential says it came from the harness.
    internal static AuditActor ActorOf(Arrival arrival) => new($"tenant:{arrival.Tenant.Id}", "load-test");

    public Task<CapacitySample> SampleCapacityAsync(LoadWorld world, CancellationToken cancellationToken)
    {
        // The silo's directory: each data center's own consistent summary, a moment old, and no grain calls.
        // Asking every data center once a second would be the harness measuring itself at 10,000 of them.
        return Task.FromResult(CapacityMath.Sample(Directory.All.ToArray()
            .SelectMany(dc => dc.Pools.Select(p => new PoolReading(dc.Provider, p.Capacity, p.Allocated, p.Held)))));
    }

    public async Task TrivialCallAsync(CancellationToken cancellationToken) =>
        await Grains.GetGrain<ICeilingGrain>(Random.Shared.Next(1024)).EchoAsync(1);

    public async ValueTask DisposeAsync()
    {
        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }
    }

    /// <summary>The arrival's ask as the grains take it; <paramref name="lease"/> overrides the arrival's (a reservation's window).</summary>
    internal static RequestSpec ToSpec(Arrival arrival, bool isolated, TimeSpan? lease = null) => new()
    {
        Items = [new Broker.Requests.RequestItem(arrival.Ask.Resource, arrival.Ask.Amount)],
        Constraints = new Broker.Requests.RequestConstraints
        {
            ProtectionLevel = arrival.Ask.ProtectionLevelAs<ProtectionLevel>(),
            Residency = arrival.Ask.Residency,
            AllowProviders = isolated ? [arrival.Tenant.HomeProvider] : [],
        },
        Lease = lease ?? arrival.Lease ?? LoadLease.Duration,
        Splittable = arrival.Ask.Splittable,
    };

    private static Decision ToDecision(RequestSnapshot? snapshot, string id) => snapshot switch
    {
        null or { State: RequestState.Negotiating } => new Decision(DecisionKind.Pending, id),
        { State: RequestState.Rejected } => new Decision(DecisionKind.Rejected, id, Code: Contracts.ApiEnums.Kebab(snapshot.Reason!.Code)),
        _ => new Decision(DecisionKind.Allocated, id, Contracts.ApiEnums.Kebab(snapshot.Allocation!.Tier), snapshot.Allocation.Provider, snapshot.Allocation.Parts.Length)
        {
            LeaseEnds = snapshot.LeaseExpiresAt,
        },
    };
}
