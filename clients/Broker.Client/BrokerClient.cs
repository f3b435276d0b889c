using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Broker.Contracts;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Broker.Client;

/// <summary>
/// The broker's v1 API, typed. Register it with <see cref="BrokerClientRegistration.AddBrokerClient"/>.
/// Refusals (4xx) throw <see cref="BrokerProblemException"/>; a broker that stays unreachable or unavailable
/// through every retry throws <see cref="BrokerUnavailableException"/>.
/// </summary>
public sealed partial class BrokerClient(HttpClient http, IOptions<BrokerClientOptions> options)
{
    private readonly string? _token = options.Value.Token;

    private BrokerClient(HttpClient http, IOptions<BrokerClientOptions> options, string token)
        : this(http, options) => _token = token;

    public BrokerClientOptions Options => options.Value;

    /// <summary>The same client, connections and circuit, acting as another principal.</summary>
    public BrokerClient As(string token) => new(http, options, token);

    /// <summary>
    /// Asks for capacity. The <paramref name="idempotencyKey"/> (a fresh one when not given) goes with every
    /// retry, so however often the call is repeated the broker allocates once. The answer may still be
    /// negotiating (202); <see cref="RequestAsync"/> waits for the decision.
    /// </summary>
    public Task<RequestResource> CreateRequestAsync(CreateRequestBody request, string? idempotencyKey = null, bool respondAsync = false, CancellationToken cancellationToken = default)
    {
        var key = idempotencyKey ?? NewIdempotencyKey();
        return SendAsync<RequestResource>(HttpMethod.Post, "v1/requests", request, message =>
        {
            message.Headers.Add("Idempotency-Key", key);
            if (respondAsync)
            {
                message.Headers.Add("Prefer", "respond-async");
            }
        }, cancellationToken);
    }

    /// <summary>Asks for capacity and returns the decision: allocated or rejected.</summary>
    public async Task<RequestResource> RequestAsync(CreateRequestBody request, string? idempotencyKey = null, TimeSpan? decisionTimeout = null, CancellationToken cancellationToken = default)
    {
        var created = await CreateRequestAsync(request, idempotencyKey, cancellationToken: cancellationToken);
        return created.IsDecided ? created : await WaitForDecisionAsync(created.Id, decisionTimeout ?? Options.TotalTimeout, cancellationToken);
    }

    /// <summary>Polls a request until the broker has decided; a <see cref="TimeoutException"/> names the state it was left in.</summary>
    public async Task<RequestResource> WaitForDecisionAsync(string id, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            var request = await GetRequestAsync(id, cancellationToken);
            if (request.IsDecided)
            {
                return request;
            }

            if (DateTimeOffset.UtcNow >= deadline)
            {
                throw new TimeoutException($"request {id} was still {request.State} after {timeout.TotalSeconds:0.#} s");
            }

            await Task.Delay(Options.PollInterval, cancellationToken);
        }
    }

    public Task<RequestResource> GetRequestAsync(string id, CancellationToken cancellationToken = default) =>
        SendAsync<RequestResource>(HttpMethod.Get, $"v1/requests/{Uri.EscapeDataString(id)}", null, null, cancellationToken);

    /// <summary>One page of the caller's requests, newest first.</summary>
    public Task<RequestListResource> ListRequestsAsync(RequestState? state = null, int? limit = null, string? after = null, CancellationToken cancellationToken = default) =>
        SendAsync<RequestListResource>(HttpMethod.Get, ListPath("v1/requests", state is { } s ? ApiEnums.Kebab(s) : null, limit, after), null, null, cancellationToken);

    /// <summary>A list endpoint's path with its query: <c>state</c>, <c>limit</c> and the <c>after</c> cursor, each only when given.</summary>
    private static string ListPath(string path, string? state, int? limit, string? after)
    {
        var query = new List<string>();
        if (state is not null)
        {
            query.Add("state=" + state);
        }

        if (limit is { } l)
        {
            query.Add("limit=" + l.ToString(CultureInfo.InvariantCulture));
        }

        if (after is not null)
        {
            query.Add("after=" + Uri.EscapeDataString(after));
        }

        return query.Count == 0 ? path : path + "?" + string.Join('&', query);
    }

    /// <summary>All the caller's requests, page after page.</summary>
    public async IAsyncEnumerable<RequestResource> ListAllRequestsAsync(
        RequestState? state = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? after = null;
        do
        {
            var page = await ListRequestsAsync(state, limit: 1000, after, cancellationToken);
            foreach (var request in page.Items)
            {
                yield return request;
            }

            after = page.Next;
        }
        while (after is not null);
    }

    /// <summary>Releases the allocation; releasing twice answers the released request again.</summary>
    public Task<RequestResource> ReleaseRequestAsync(string id, CancellationToken cancellationToken = default) =>
        SendAsync<RequestResource>(HttpMethod.Delete, $"v1/requests/{Uri.EscapeDataString(id)}", null, null, cancellationToken);

    /// <summary>Extends the lease from now by <paramref name="lease"/> (ISO 8601, e.g. <c>P30D</c>).</summary>
    public Task<RequestResource> RenewRequestAsync(string id, string lease, CancellationToken cancellationToken = default) =>
        SendAsync<RequestResource>(HttpMethod.Post, $"v1/requests/{Uri.EscapeDataString(id)}/renew", new RenewBody { Lease = lease }, null, cancellationToken);

    public Task<CatalogResource> GetCatalogAsync(CancellationToken cancellationToken = default) =>
        SendAsync<CatalogResource>(HttpMethod.Get, "v1/catalog", null, null, cancellationToken);

    public Task<CapacityResource> GetCapacityAsync(CancellationToken cancellationToken = default) =>
        SendAsync<CapacityResource>(HttpMethod.Get, "v1/federation/capacity", null, null, cancellationToken);

    public Task<DataCenterResource[]> GetProviderDataCentersAsync(string provider, CancellationToken cancellationToken = default) =>
        SendAsync<DataCenterResource[]>(HttpMethod.Get, $"v1/providers/{Uri.EscapeDataString(provider)}/datacenters", null, null, cancellationToken);

    /// <summary>Changes or adds a pool of a data center (its provider's admin).</summary>
    public Task<PoolResource> SetPoolAsync(string dataCenter, string resource, PoolChangeBody change, CancellationToken cancellationToken = default) =>
        SendAsync<PoolResource>(HttpMethod.Put, $"v1/datacenters/{Uri.EscapeDataString(dataCenter)}/pools/{Uri.EscapeDataString(resource)}", change, null, cancellationToken);

    /// <summary>Upserts providers, data centers and tenants by id (the federation admin).</summary>
    public Task<FederationUpsertResource> UpsertFederationAsync(FederationFile federation, CancellationToken cancellationToken = default) =>
        SendAsync<FederationUpsertResource>(HttpMethod.Put, "v1/federation", federation, null, cancellationToken);

    /// <summary>A provider's statement for a month (<c>yyyy-MM</c>; the current month when null).</summary>
    public Task<ProviderStatement> GetProviderStatementAsync(string provider, string? period = null, CancellationToken cancellationToken = default) =>
        SendAsync<ProviderStatement>(HttpMethod.Get, $"v1/billing/providers/{Uri.EscapeDataString(provider)}{PeriodQuery(period)}", null, null, cancellationToken);

    /// <summary>A tenant's bill for a month (<c>yyyy-MM</c>; the current month when null).</summary>
    public Task<TenantBill> GetTenantBillAsync(string tenant, string? period = null, CancellationToken cancellationToken = default) =>
        SendAsync<TenantBill>(HttpMethod.Get, $"v1/billing/tenants/{Uri.EscapeDataString(tenant)}{PeriodQuery(period)}", null, null, cancellationToken);

    /// <summary>
    /// One page of the audit trail, newest first: all of it for the federation admin, a tenant's own entries,
    /// or a provider admin's changes to its provider.
    /// </summary>
    public Task<AuditListResource> ListAuditAsync(AuditFilter? filter = null, int? limit = null, string? after = null, CancellationToken cancellationToken = default)
    {
        var query = (filter ?? new AuditFilter()).ToQuery().ToList();
        if (limit is { } l)
        {
            query.Add("limit=" + l.ToString(CultureInfo.InvariantCulture));
        }

        if (after is not null)
        {
            query.Add("after=" + Uri.EscapeDataString(after));
        }

        return SendAsync<AuditListResource>(HttpMethod.Get, query.Count == 0 ? "v1/audit" : "v1/audit?" + string.Join('&', query), null, null, cancellationToken);
    }

    /// <summary>Checks every chain of the trail as stored, and that each of <paramref name="anchors"/> still holds (the federation admin).</summary>
    public Task<AuditVerificationResource> VerifyAuditAsync(IEnumerable<AuditAnchor>? anchors = null, CancellationToken cancellationToken = default)
    {
        var query = string.Join('&', (anchors ?? []).Select(a => "anchor=" + Uri.EscapeDataString(a.ToString())));
        return SendAsync<AuditVerificationResource>(HttpMethod.Get, query.Length == 0 ? "v1/audit/verify" : "v1/audit/verify?" + query, null, null, cancellationToken);
    }

    /// <summary>A key unique enough that two different requests never share one.</summary>
    public static string NewIdempotencyKey() => Guid.NewGuid().ToString("N");

    private static string PeriodQuery(string? period) => period is null ? "" : "?period=" + Uri.EscapeDataString(period);

    private async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, Action<HttpRequestMessage>? decorate, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            // Bytes rather than a stream: a retry sends the same message again, content included.
            message.Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, BrokerJsonOptions.Default));
            message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        if (_token is not null)
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        }

        decorate?.Invoke(message);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(message, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException or BrokenCircuitException)
        {
            throw new BrokerUnavailableException($"{method} /{path}: the broker is unavailable ({e.Message})", e);
        }

        using (response)
        {
            if (response.IsSuccessStatusCode)
            {
                return (await response.Content.ReadFromJsonAsync<T>(BrokerJsonOptions.Default, cancellationToken))!;
            }

            var problem = await ProblemReader.ReadAsync(response, cancellationToken);
            if (TransientFailures.IsTransient(response.StatusCode))
            {
                throw new BrokerUnavailableException($"{method} /{path}: {problem.Status} {problem.Code}: {problem.Detail ?? problem.Title}", problem: problem);
            }

            throw new BrokerProblemException(problem);
        }
    }
}
