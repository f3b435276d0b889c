using System.Text.Json;
using Broker.Silo.Api;

namespace Broker.Tests.Cluster;

/// <summary>
/// One test's data centers (one per fixture provider, with a resource class of its own) and tenant on the
/// shared cluster, and the calls the tests make through any silo's HTTP API.
/// </summary>
internal sealed class ClusterWorld
{
    private readonly ClusterFixture _cluster;

    private ClusterWorld(ClusterFixture cluster)
    {
        _cluster = cluster;
    }

    /// <summary>The list price of every data center's pool, per unit-hour: what the tests expect to be charged.</summary>
    public const decimal PricePerUnitHour = 0.01m;

    public string Suffix { get; } = Guid.NewGuid().ToString("N")[..8];

    public string Resource => $"compute.vcpu-{Suffix}";

    public string Tenant => $"t-{Suffix}";

    public string TenantToken => $"token-{Suffix}";

    public string DataCenterOf(string provider) => $"dc-{provider}-{Suffix}";

    public static async Task<ClusterWorld> CreateAsync(ClusterFixture cluster, long capacityPerDataCenter)
    {
        var world = new ClusterWorld(cluster);
        var fragment = new
        {
            providers = cluster.Providers.Select(p => new
            {
                id = p,
                name = p,
                kind = "member",
                regions = new[] { "DE" },
                dataCenters = new[]
                {
                    new
                    {
                        id = world.DataCenterOf(p),
                        location = "DE-HH",
                        pools = new[] { new { resource = world.Resource, total = capacityPerDataCenter, pricePerUnitHour = PricePerUnitHour } },
                    },
                },
                admins = new[] { new { token = world.AdminTokenOf(p) } },
            }),
            tenants = new[] { new { id = world.Tenant, homeProvider = cluster.Providers[0], token = world.TenantToken } },
        };
        await cluster.AddAsync(fragment, [world.TenantToken]);
        return world;
    }

    public string AdminTokenOf(string provider) => $"admin-{provider}-{Suffix}";

    public HttpClient Client(int silo) => _cluster.Client(silo, TenantToken);

    public string IdFor(string idempotencyKey) => RequestIds.FromIdempotencyKey(Tenant, idempotencyKey);

    /// <summary>Submits through silo <paramref name="silo"/>; null when the call itself failed (connection, timeout).</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)?> SubmitAsync(int silo, long amount, string idempotencyKey, string? lease = null)
    {
        using var client = _cluster.Client(silo, TenantToken);
        using var message = new HttpRequestMessage(HttpMethod.Post, "/v1/requests")
        {
            Content = Json.Content(lease is null
                ? new { items = new[] { new { resource = Resource, amount } } }
                : new { items = new[] { new { resource = Resource, amount } }, lease }),
        };
        message.Headers.Add("Idempotency-Key", idempotencyKey);
        try
        {
            using var response = await client.SendAsync(message);
            return (response.StatusCode, await Json.ReadAsync(response));
        }
        catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>What an allocated request reports: its one data center and its units.</summary>
    public static (string DataCenter, long Units) AllocationOf(JsonElement request)
    {
        var part = request.GetProperty("allocation").GetProperty("parts").EnumerateArray().Single();
        return (part.GetProperty("dataCenter").GetString()!, part.GetProperty("amount").GetInt64());
    }

    public async Task<JsonElement> GetAsync(int silo, string requestId)
    {
        using var client = _cluster.Client(silo, TenantToken);
        using var response = await client.GetAsync($"/v1/requests/{requestId}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {requestId} answered {(int)response.StatusCode}");
        return await Json.ReadAsync(response);
    }

    /// <summary>Each data center's pool as its owner reports it (exact: read from the data center grains).</summary>
    public async Task<Dictionary<string, JsonElement>> DataCentersAsync(int silo)
    {
        var result = new Dictionary<string, JsonElement>();
        foreach (var provider in _cluster.Providers)
        {
            using var admin = _cluster.Client(silo, AdminTokenOf(provider));
            using var response = await admin.GetAsync($"/v1/providers/{provider}/datacenters");
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"data centers of {provider} answered {(int)response.StatusCode}");
            foreach (var dc in (await Json.ReadAsync(response)).EnumerateArray().Where(dc => dc.GetProperty("id").GetString() == DataCenterOf(provider)))
            {
                result[provider] = dc;
            }
        }

        return result;
    }

    public static JsonElement PoolOf(JsonElement dataCenter) => dataCenter.GetProperty("pools")[0];

    /// <summary>
    /// Where the books disagree, per data center, or "" when they agree exactly: the units its owner reports allocated,
    /// and the requests its allocation rows in PostgreSQL name, against the requests that report an allocation there
    /// (<paramref name="allocated"/>: request id → the data center and units it reports). No holds may be left.
    /// </summary>
    public async Task<string> BooksDisagreeAsync(int silo, IReadOnlyDictionary<string, (string DataCenter, long Units)> allocated)
    {
        var problems = new List<string>();
        foreach (var (provider, dc) in await DataCentersAsync(silo))
        {
            var id = DataCenterOf(provider);
            var reported = allocated.Where(a => a.Value.DataCenter == id).ToDictionary(a => a.Key, a => a.Value.Units, StringComparer.Ordinal);
            var stored = await _cluster.StoredAllocationsAsync(id);
            var pool = PoolOf(dc);
            var (units, held) = (pool.GetProperty("allocated").GetInt64(), pool.GetProperty("held").GetInt64());
            if (units != reported.Values.Sum() || held != 0 || !stored.SetEquals(reported.Keys))
            {
                problems.Add($"{id}: pool allocated {units} held {held}, its requests report {reported.Values.Sum()} units; stored only: [{string.Join(',', stored.Except(reported.Keys))}], reported only: [{string.Join(',', reported.Keys.Except(stored))}]");
            }
        }

        return string.Join("; ", problems);
    }
}
