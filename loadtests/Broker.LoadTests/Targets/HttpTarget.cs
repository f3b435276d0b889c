using Broker.Client;
using Broker.Contracts;
using Broker.LoadTests.Demand;
using Broker.LoadTests.World;
using Microsoft.Extensions.DependencyInjection;

namespace Broker.LoadTests.Targets;

/// <summary>A running broker (one silo's URL) driven through the client library, as an authority's automation would.</summary>
public sealed class HttpTarget : IBrokerTarget
{
    private readonly ServiceProvider _services;
    private readonly BrokerClient _client;
    private readonly BrokerClient _admin;
    private readonly HttpClient _plain;

    public HttpTarget(Uri url, string federationAdminToken)
    {
        var services = new ServiceCollection();
        services.AddBrokerClient(options =>
        {
            options.BaseAddress = url;
            options.TotalTimeout = TimeSpan.FromSeconds(30);
            options.MaxRetries = 3;
            // Under load a few failures must not open the circuit for everyone; a dead silo still does.
            options.BreakerMinimumThroughput = 500;
        });
        _services = services.BuildServiceProvider();
        _client = _services.GetRequiredService<BrokerClient>();
        _admin = _client.As(federationAdminToken);
        _plain = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(10) };
    }

    public string Mode => "http";

    public string TrivialCallName => "GET /health/live";

    public async Task PrepareAsync(LoadWorld world, CancellationToken cancellationToken)
    {
        await _admin.UpsertFederationAsync(world.Federation, cancellationToken);
        await PrepareReadOnlyAsync(world, cancellationToken);
    }

    /// <summary>Waits for a broker that already has the load world (it loaded it from its federation file).</summary>
    public Task PrepareReadOnlyAsync(LoadWorld world, CancellationToken cancellationToken) =>
        WorldReadiness.WaitAsync(_admin, _client.As(world.Tenants[0].Token), world, cancellationToken);

    public async Task<Decision> RequestAsync(Arrival arrival, string key, bool isolated, CancellationToken cancellationToken)
    {
        try
        {
            var request = await _client.As(arrival.Tenant.Token).RequestAsync(ToRequest(arrival, isolated), key, TimeSpan.FromSeconds(30), cancellationToken);
            return ToDecision(request);
        }
        catch (BrokerUnavailableException e)
        {
            return Decision.Failed(e.Problem?.Code ?? "unreachable");
        }
        catch (BrokerProblemException e)
        {
            return Decision.Failed(e.Problem.Code);
        }
        catch (TimeoutException)
        {
            return new Decision(DecisionKind.Pending, null);
        }
    }

    // Sending the same key and body again answers the request the broker already has (200), or creates it if it never arrived.
    public Task<Decision> ResolveAsync(Arrival arrival, string key, bool isolated, CancellationToken cancellationToken) =>
        RequestAsync(arrival, key, isolated, cancellationToken);

    public Task ReleaseAsync(Arrival arrival, string requestId, CancellationToken cancellationToken) =>
        _client.As(arrival.Tenant.Token).ReleaseRequestAsync(requestId, cancellationToken);

    public async Task<CapacitySample> SampleCapacityAsync(LoadWorld world, CancellationToken cancellationToken)
    {
        var capacity = await _admin.GetCapacityAsync(cancellationToken);
        return CapacityMath.Sample(capacity.Providers.SelectMany(p => p.DataCenters
            .Where(dc => dc.Id.StartsWith(LoadWorld.Prefix, StringComparison.Ordinal))
            .SelectMany(dc => dc.Pools.Select(pool => new PoolReading(p.Provider, pool.Capacity, pool.Allocated, pool.Held)))));
    }

    public async Task TrivialCallAsync(CancellationToken cancellationToken)
    {
        using var response = await _plain.GetAsync("health/live", cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        _plain.Dispose();
        await _services.DisposeAsync();
    }

    public static CreateRequestBody ToRequest(Arrival arrival, bool isolated) => new()
    {
        Items = [new ItemBody(arrival.Ask.Resource, arrival.Ask.Amount)],
        Constraints = new ConstraintsBody
        {
            ProtectionLevel = arrival.Ask.ProtectionLevelAs<ProtectionLevel>(),
            Residency = arrival.Ask.Residency,
            Providers = isolated ? new ProviderFilterBody { Allow = [arrival.Tenant.HomeProvider] } : null,
        },
        Lease = arrival.Lease is { } lease ? System.Xml.XmlConvert.ToString(lease) : LoadLease.Iso,
        Splittable = arrival.Ask.Splittable ? true : null,
    };

    private static Decision ToDecision(RequestResource request) => request.State switch
    {
        RequestState.Allocated => new Decision(
            DecisionKind.Allocated, request.Id, ApiEnums.Kebab(request.Allocation!.Tier), request.Allocation.Provider, request.Allocation.Parts.Length),
        RequestState.Negotiating => new Decision(DecisionKind.Pending, request.Id),
        // Released or expired before the harness saw it allocated: it no longer holds anything.
        RequestState.Released or RequestState.Expired => new Decision(DecisionKind.Allocated, request.Id, Code: "ended"),
        _ => new Decision(DecisionKind.Rejected, request.Id, Code: request.Reason is { } reason ? ApiEnums.Kebab(reason.Code) : "unknown"),
    };
}
