using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Broker.Tests.Api.OpenApi;

/// <summary>
/// Real calls to every operation of a real silo — successes and each kind of refusal — replayed through a validating
/// proxy (<see cref="ValidatingProxy"/>): the broker gives no answer the OpenAPI document does not describe (status,
/// content type, body shape, problem code).
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class OpenApiTrafficTests(BrokerFixture broker) : IDisposable
{
    private readonly TempDirectory _directory = new("openapi-traffic");
    private readonly List<string> _violations = [];
    private readonly List<string> _unexpected = [];

    [Fact]
    public async Task EveryOperation_SuccessesAndRefusals_NoAnswerTheDocumentDoesNotDescribe()
    {
        var world = await broker.CreateWorldAsync(w =>
        {
            var home = w.Member("home", "DE-HH").DataCenter("dc", "DE-HH", ProtectionLevel.Normal, Pool("storage.ssd", 1_000, 0.0001m));
            w.Member("other", "DE-BY");
            w.Tenant("a", home);
            w.Tenant("b", home);
        });
        await using var proxy = await ValidatingProxy.StartAsync(await OpenApiTools.SaveDocumentAsync(broker, _directory.Path), broker.BaseAddress);
        var (anonymous, a, b, admin, otherAdmin, federation) = (
            Through(proxy, null), Through(proxy, world.Token("a")), Through(proxy, world.Token("b")),
            Through(proxy, world.AdminToken("home")), Through(proxy, world.AdminToken("other")), Through(proxy, broker.FederationAdminToken));
        var (home, dc, ssd, tenantA) = (world.Id("home"), world.Id("dc"), world.Resource("storage.ssd"), world.Id("a"));
        var body = world.Body("storage.ssd", 10);
        var key = "openapi-" + Guid.NewGuid().ToString("N");

        await CallAsync(anonymous, HttpMethod.Get, "/health/live", null, HttpStatusCode.OK);
        await CallAsync(anonymous, HttpMethod.Get, "/health/ready", null, HttpStatusCode.OK);

        var created = await CallAsync(a, HttpMethod.Post, "/v1/requests", body, HttpStatusCode.Created, key);
        var id = created.ValueKind == JsonValueKind.Object ? created.GetProperty("id").GetString()! : "none";
        await CallAsync(a, HttpMethod.Post, "/v1/requests", body, HttpStatusCode.OK, key);
        await CallAsync(a, HttpMethod.Post, "/v1/requests", world.Body("storage.ssd", 11), HttpStatusCode.Conflict, key);
        await CallAsync(a, HttpMethod.Post, "/v1/requests", body, HttpStatusCode.Accepted, "async-" + key, prefer: "respond-async");
        await MalformedJsonAsync(world, "/v1/requests");
        await CallAsync(a, HttpMethod.Post, "/v1/requests", new { items = new[] { new { resource = ssd, amount = 1 } }, tenant = "x" }, HttpStatusCode.BadRequest);
        await CallAsync(a, HttpMethod.Post, "/v1/requests", body, HttpStatusCode.BadRequest, new string('k', 200));
        await CallAsync(a, HttpMethod.Post, "/v1/requests", "items=1", HttpStatusCode.UnsupportedMediaType, contentType: "text/plain");
        await CallAsync(anonymous, HttpMethod.Post, "/v1/requests", body, HttpStatusCode.Unauthorized);
        await CallAsync(admin, HttpMethod.Post, "/v1/requests", body, HttpStatusCode.Forbidden);

        await CallAsync(a, HttpMethod.Get, "/v1/requests?state=allocated&limit=10", null, HttpStatusCode.OK);
        await CallAsync(a, HttpMethod.Get, "/v1/requests?limit=0", null, HttpStatusCode.BadRequest);
        await CallAsync(a, HttpMethod.Get, $"/v1/requests/{id}", null, HttpStatusCode.OK);
        await CallAsync(b, HttpMethod.Get, $"/v1/requests/{id}", null, HttpStatusCode.NotFound);
        await CallAsync(a, HttpMethod.Post, $"/v1/requests/{id}/renew", new { lease = "P2D" }, HttpStatusCode.OK);
        await CallAsync(a, HttpMethod.Post, $"/v1/requests/{id}/renew", new { lease = "forever" }, HttpStatusCode.BadRequest);
        await CallAsync(a, HttpMethod.Post, "/v1/requests/nobody/renew", new { lease = "P2D" }, HttpStatusCode.NotFound);
        await CallAsync(a, HttpMethod.Delete, $"/v1/requests/{id}", null, HttpStatusCode.OK);
        await CallAsync(a, HttpMethod.Post, $"/v1/requests/{id}/renew", new { lease = "P2D" }, HttpStatusCode.Conflict);
        await CallAsync(b, HttpMethod.Delete, $"/v1/requests/{id}", null, HttpStatusCode.NotFound);

        var now = broker.Clock.GetUtcNow().UtcDateTime;
        string Instant(DateTime at) => at.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var reservation = new { items = new[] { new { resource = ssd, amount = 5 } }, start = Instant(now.AddDays(1)), end = Instant(now.AddDays(2)) };
        var reserveKey = "reserve-" + key;
        var reserved = await CallAsync(a, HttpMethod.Post, "/v1/reservations", reservation, HttpStatusCode.Created, reserveKey);
        var reservationId = reserved.ValueKind == JsonValueKind.Object ? reserved.GetProperty("id").GetString()! : "none";
        await CallAsync(a, HttpMethod.Post, "/v1/reservations", reservation, HttpStatusCode.OK, reserveKey);
        await CallAsync(a, HttpMethod.Post, "/v1/reservations", new { items = reservation.items, start = reservation.start, end = Instant(now.AddDays(3)) }, HttpStatusCode.Conflict, reserveKey);
        await CallAsync(a, HttpMethod.Post, "/v1/reservations", new { items = reservation.items, start = Instant(now.AddDays(-1)), end = reservation.end }, HttpStatusCode.BadRequest);
        await CallAsync(admin, HttpMethod.Post, "/v1/reservations", reservation, HttpStatusCode.Forbidden);
        await CallAsync(a, HttpMethod.Get, "/v1/reservations?state=confirmed", null, HttpStatusCode.OK);
        await CallAsync(a, HttpMethod.Get, "/v1/reservations?state=soon", null, HttpStatusCode.BadRequest);
        await CallAsync(a, HttpMethod.Get, $"/v1/reservations/{reservationId}", null, HttpStatusCode.OK);
        await CallAsync(b, HttpMethod.Get, $"/v1/reservations/{reservationId}", null, HttpStatusCode.NotFound);
        await CallAsync(b, HttpMethod.Delete, $"/v1/reservations/{reservationId}", null, HttpStatusCode.NotFound);
        await CallAsync(a, HttpMethod.Delete, $"/v1/reservations/{reservationId}", null, HttpStatusCode.OK);

        await CallAsync(a, HttpMethod.Get, "/v1/catalog", null, HttpStatusCode.OK);
        await CallAsync(anonymous, HttpMethod.Get, "/v1/catalog", null, HttpStatusCode.Unauthorized);
        await CallAsync(admin, HttpMethod.Get, "/v1/federation/capacity", null, HttpStatusCode.OK);
        await CallAsync(admin, HttpMethod.Get, $"/v1/providers/{home}/datacenters", null, HttpStatusCode.OK);
        await CallAsync(otherAdmin, HttpMethod.Get, $"/v1/providers/{home}/datacenters", null, HttpStatusCode.Forbidden);
        await CallAsync(federation, HttpMethod.Get, "/v1/providers/nobody/datacenters", null, HttpStatusCode.NotFound);

        await CallAsync(admin, HttpMethod.Put, $"/v1/datacenters/{dc}/pools/{ssd}", new { total = 2_000 }, HttpStatusCode.OK);
        await CallAsync(admin, HttpMethod.Put, $"/v1/datacenters/{dc}/pools/{world.Resource("storage.hdd")}", new { total = 500, pricePerUnitHour = 0.00002m }, HttpStatusCode.Created);
        var held = await CallAsync(a, HttpMethod.Post, "/v1/requests", world.Body("storage.ssd", 400), HttpStatusCode.Created);
        Assert.Equal("allocated", held.ValueKind == JsonValueKind.Object ? held.State() : "no answer");
        await CallAsync(admin, HttpMethod.Put, $"/v1/datacenters/{dc}/pools/{ssd}", new { total = 100 }, HttpStatusCode.Conflict);
        await CallAsync(admin, HttpMethod.Put, $"/v1/datacenters/{dc}/pools/{ssd}", new { total = -1 }, HttpStatusCode.BadRequest);
        await CallAsync(otherAdmin, HttpMethod.Put, $"/v1/datacenters/{dc}/pools/{ssd}", new { total = 10 }, HttpStatusCode.Forbidden);
        await CallAsync(admin, HttpMethod.Put, "/v1/datacenters/nowhere/pools/storage.ssd", new { total = 10 }, HttpStatusCode.NotFound);

        var drain = $"/v1/datacenters/{dc}/drain";
        await CallAsync(otherAdmin, HttpMethod.Post, drain, new { reason = "maintenance" }, HttpStatusCode.Forbidden);
        await CallAsync(admin, HttpMethod.Post, drain, new { reason = new string('r', 300) }, HttpStatusCode.BadRequest);
        await CallAsync(admin, HttpMethod.Post, "/v1/datacenters/nowhere/drain", new { reason = "maintenance" }, HttpStatusCode.NotFound);
        await CallAsync(admin, HttpMethod.Get, drain, null, HttpStatusCode.OK);
        await CallAsync(admin, HttpMethod.Post, drain, new { reason = "maintenance" }, HttpStatusCode.Accepted);
        await CallAsync(federation, HttpMethod.Post, drain, new { reason = "maintenance" }, HttpStatusCode.OK);
        await CallAsync(federation, HttpMethod.Get, drain, null, HttpStatusCode.OK);
        await CallAsync(a, HttpMethod.Get, drain, null, HttpStatusCode.Forbidden);
        await CallAsync(federation, HttpMethod.Get, "/v1/datacenters/nowhere/drain", null, HttpStatusCode.NotFound);
        await CallAsync(otherAdmin, HttpMethod.Delete, drain, null, HttpStatusCode.Forbidden);
        await CallAsync(federation, HttpMethod.Delete, "/v1/datacenters/nowhere/drain", null, HttpStatusCode.NotFound);
        await CallAsync(admin, HttpMethod.Delete, drain, null, HttpStatusCode.OK);

        await CallAsync(federation, HttpMethod.Put, "/v1/federation", new { }, HttpStatusCode.OK);
        await CallAsync(federation, HttpMethod.Put, "/v1/federation", new { tenants = new[] { new { id = "Not An Id", homeProvider = home } } }, HttpStatusCode.BadRequest);
        await CallAsync(federation, HttpMethod.Put, "/v1/federation", "{\"providers\": \"" + new string('x', 1_100_000) + "\"}", HttpStatusCode.RequestEntityTooLarge);
        await CallAsync(a, HttpMethod.Put, "/v1/federation", new { }, HttpStatusCode.Forbidden);

        var period = "?period=" + broker.Clock.GetUtcNow().ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        await CallAsync(a, HttpMethod.Get, $"/v1/billing/tenants/{tenantA}{period}", null, HttpStatusCode.OK);
        await CallAsync(a, HttpMethod.Get, $"/v1/billing/tenants/{tenantA}?period=2026-13", null, HttpStatusCode.BadRequest);
        await CallAsync(b, HttpMethod.Get, $"/v1/billing/tenants/{tenantA}", null, HttpStatusCode.Forbidden);
        await CallAsync(a, HttpMethod.Get, "/v1/billing/tenants/nobody", null, HttpStatusCode.NotFound);
        await CallAsync(admin, HttpMethod.Get, $"/v1/billing/providers/{home}{period}", null, HttpStatusCode.OK);
        await CallAsync(admin, HttpMethod.Get, $"/v1/billing/providers/{home}?period=soon", null, HttpStatusCode.BadRequest);
        await CallAsync(otherAdmin, HttpMethod.Get, $"/v1/billing/providers/{home}", null, HttpStatusCode.Forbidden);
        await CallAsync(federation, HttpMethod.Get, "/v1/billing/providers/nobody", null, HttpStatusCode.NotFound);
        await CallAsync(a, HttpMethod.Get, $"/v1/billing/tenants/{tenantA}{period}", null, HttpStatusCode.OK, accept: "text/csv");
        await CallAsync(admin, HttpMethod.Get, $"/v1/billing/providers/{home}{period}", null, HttpStatusCode.OK, accept: "text/csv");
        await CallAsync(federation, HttpMethod.Get, $"/v1/billing/settlement{period}", null, HttpStatusCode.OK);
        await CallAsync(federation, HttpMethod.Get, $"/v1/billing/settlement{period}", null, HttpStatusCode.OK, accept: "text/csv");
        await CallAsync(federation, HttpMethod.Get, "/v1/billing/settlement?period=soon", null, HttpStatusCode.BadRequest);
        await CallAsync(admin, HttpMethod.Get, "/v1/billing/settlement", null, HttpStatusCode.Forbidden);
        await CallAsync(anonymous, HttpMethod.Get, "/v1/billing/settlement", null, HttpStatusCode.Unauthorized);

        await CallAsync(a, HttpMethod.Get, "/v1/audit?limit=5", null, HttpStatusCode.OK);
        await CallAsync(a, HttpMethod.Get, "/v1/audit?limit=0", null, HttpStatusCode.BadRequest);
        await CallAsync(a, HttpMethod.Get, $"/v1/audit?tenant={world.Id("b")}", null, HttpStatusCode.Forbidden);
        await CallAsync(federation, HttpMethod.Get, "/v1/audit/verify", null, HttpStatusCode.OK);
        await CallAsync(federation, HttpMethod.Get, "/v1/audit/verify?anchor=nonsense", null, HttpStatusCode.BadRequest);
        await CallAsync(a, HttpMethod.Get, "/v1/audit/verify", null, HttpStatusCode.Forbidden);

        Assert.True(_unexpected.Count == 0, "answers other than the call expects:\n" + string.Join("\n", _unexpected));
        Assert.True(_violations.Count == 0, "answers the document does not describe:\n" + string.Join("\n", _violations));
    }

    [Fact]
    public async Task DocumentMissingAnAnswer_TheProxyNamesIt()
    {
        // The check can fail: with the 401 of GET /v1/catalog taken out of the document, that answer is a violation.
        var document = await OpenApiTools.SaveDocumentAsync(broker, _directory.Path, text => WithoutResponse(text, "/v1/catalog", "get", "401"));
        await using var proxy = await ValidatingProxy.StartAsync(document, broker.BaseAddress);

        await CallAsync(Through(proxy, null), HttpMethod.Get, "/v1/catalog", null, HttpStatusCode.Unauthorized);

        Assert.Empty(_unexpected);
        Assert.Single(_violations);
    }

    public void Dispose() => _directory.Dispose();

    /// <summary>
    /// Prism never answers a request whose JSON body it cannot parse (the call hangs), so this one answer is recorded
    /// from the broker directly and held against the document here: its status, media type and problem code declared.
    /// </summary>
    private async Task MalformedJsonAsync(World world, string path)
    {
        var document = System.Text.Json.Nodes.JsonNode.Parse(await (broker.Client()).GetStringAsync("/openapi/v1.json"))!;
        using var response = await world.Tenant("a").PostAsync(path, new StringContent("{\"items\": [", Encoding.UTF8, "application/json"));
        var problem = await Json.ReadAsync(response);
        var declared = document["paths"]![path]!["post"]!["responses"]![((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture)];
        var codes = declared?["content"]?[response.Content.Headers.ContentType?.MediaType ?? ""]?["schema"]?["allOf"]?[1]?["properties"]?["code"]?["enum"]?.AsArray().Select(c => c!.GetValue<string>()).ToArray() ?? [];
        if (response.StatusCode != HttpStatusCode.BadRequest)
        {
            _unexpected.Add($"POST {path} with malformed JSON → {(int)response.StatusCode} (expected 400)");
        }

        if (!codes.Contains(problem.Code()))
        {
            _violations.Add($"POST {path} with malformed JSON → {(int)response.StatusCode} {response.Content.Headers.ContentType?.MediaType} code {problem.Code()}: not declared (declared codes: {string.Join(", ", codes)})");
        }
    }

    private static HttpClient Through(ValidatingProxy proxy, string? token)
    {
        var client = new HttpClient { BaseAddress = proxy.Address, Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    /// <summary>One call through the proxy; what it answered other than expected, and what the proxy found, is kept for the assertions.</summary>
    private async Task<JsonElement> CallAsync(HttpClient client, HttpMethod method, string path, object? body, HttpStatusCode expected, string? idempotencyKey = null, string? prefer = null, string contentType = "application/json", string? accept = null)
    {
        using var message = new HttpRequestMessage(method, path);
        if (accept is not null)
        {
            message.Headers.Accept.ParseAdd(accept);
        }

        if (body is not null)
        {
            message.Content = body is string raw ? new StringContent(raw, Encoding.UTF8, contentType) : Json.Content(body);
        }

        if (idempotencyKey is not null)
        {
            message.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        if (prefer is not null)
        {
            message.Headers.Add("Prefer", prefer);
        }

        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(message);
        }
        catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
        {
            _unexpected.Add($"{method} {path[..Math.Min(path.Length, 120)]}: no answer ({error.Message})");
            return default;
        }

        using var answered = response;
        var text = await response.Content.ReadAsStringAsync();
        var call = $"{method} {path[..Math.Min(path.Length, 120)]} → {(int)response.StatusCode}";
        if (response.StatusCode != expected)
        {
            _unexpected.Add($"{call} (expected {(int)expected}): {text[..Math.Min(text.Length, 300)]}");
        }

        _violations.AddRange(ValidatingProxy.AnswerViolations(response).Select(v => $"{call}: {v}"));
        return response.Content.Headers.ContentType?.MediaType?.EndsWith("json", StringComparison.Ordinal) == true ? JsonDocument.Parse(text).RootElement.Clone() : default;
    }

    private static string WithoutResponse(string document, string path, string method, string status)
    {
        var root = System.Text.Json.Nodes.JsonNode.Parse(document)!;
        var responses = root["paths"]![path]![method]!["responses"]!.AsObject();
        Assert.True(responses.Remove(status), $"the document has no {status} for {method} {path} to take out");
        return root.ToJsonString();
    }
}
