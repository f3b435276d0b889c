using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Broker.Tests.Api;

/// <summary>
/// Ten thousand generated hostile or malformed calls at every endpoint of a real broker: each must be
/// refused with a 4xx problem document carrying a code — never a 5xx — and afterwards the federation's
/// capacity and the ledgers must be exactly as before.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class FuzzTests(BrokerFixture broker)
{
    private const int Calls = 10_000;

    private static readonly string[] BadDurations = ["", "P", "PT", "P1M", "P1Y", "P-1D", "PT-5S", "1D", "P366D", "P99999999999D", "PT0S", "p1d", "P1DT", "P1.5D", "PT1.5H", "P1W2", "∞", "P0D"];
    private static readonly string[] ForbiddenFields = ["tenant", "state", "price", "pricePerUnitHour", "allocation", "tier", "id", "createdAt", "reason", "trace", "hourlyCost"];
    private static readonly string[] OddText =
    [
        "\u202Estorage.ssd", "storage.ssd\u0000", "ｓｔｏｒａｇｅ.ｓｓｄ", "storage\u0301.ssd", "💾", "\uFEFFstorage.ssd", "storage.ssd\n", "DE\u200B", "%00", "../../etc/passwd",
        "<script>alert(1)</script>", "' OR 1=1 --", "${jndi:ldap://x}", "\\u0000",
    ];

    // A NUL in a path or a request line over 8 KiB never reaches the application: Kestrel itself answers a bare
    // 400 or 414 (no body it could be asked to shape). Everything that does reach the broker is fuzzed here.
    private static readonly string[] PathText = OddText.Where(t => !t.Contains('\0', StringComparison.Ordinal) && t != "%00").ToArray();

    [Fact]
    public async Task TenThousandHostileCalls_AllRefusedWithAProblemCode_NothingChanged()
    {
        var world = await broker.CreateWorldAsync(w =>
        {
            var home = w.Member("home", "DE-HH").DataCenter("dc", "DE-HH", ProtectionLevel.Normal, Pool("storage.ssd", 10_000, 0.0001m));
            w.Tenant("a", home);
        });
        var (_, allocated) = await world.RequestAsync("a", world.Body("storage.ssd", 100));
        var requestId = allocated.GetProperty("id").GetString()!;
        var admin = broker.Client(broker.FederationAdminToken);
        // The capacity view is the directory's, a refresh behind the data centers: start from a settled one.
        await Eventually.ReturnsAsync(
            async () => JsonDocument.Parse(await admin.GetStringAsync("/v1/federation/capacity")).RootElement.GetProperty("providers").EnumerateArray()
                .SelectMany(p => p.GetProperty("dataCenters").EnumerateArray()).Single(dc => dc.GetProperty("id").GetString() == world.Id("dc"))
                .GetProperty("pools")[0].GetProperty("allocated").GetInt64(),
            allocatedSeen => allocatedSeen == 100,
            "the directory shows the allocation");
        var before = await SnapshotAsync(world, admin);
        var random = new Random(20261127);
        var cases = Enumerable.Range(0, Calls).Select(_ => Generate(random, world, requestId)).ToList();

        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (fuzz, _) =>
        {
            using var message = fuzz.ToMessage();
            using var response = await fuzz.Client.SendAsync(message);
            var text = await response.Content.ReadAsStringAsync();
            var status = (int)response.StatusCode;
            if (status is < 400 or > 499 || response.Content.Headers.ContentType?.MediaType != "application/problem+json" || !HasCode(text))
            {
                failures.Add($"{fuzz.Describe()} -> {status} {response.Content.Headers.ContentType?.MediaType}: {Shorten(text)}");
            }
        });

        Assert.True(failures.IsEmpty, $"{failures.Count} of {Calls} calls not refused with a 4xx problem and code:\n" + string.Join("\n", failures.Take(20)));
        Assert.Equal(before, await SnapshotAsync(world, admin));
    }

    private static async Task<string> SnapshotAsync(World world, HttpClient admin)
    {
        var capacity = await admin.GetStringAsync("/v1/federation/capacity");
        var catalog = await admin.GetStringAsync("/v1/catalog");
        var statement = await admin.GetStringAsync($"/v1/billing/providers/{world.Id("home")}");
        var bill = await admin.GetStringAsync($"/v1/billing/tenants/{world.Id("a")}");
        var requests = await world.Tenant("a").GetStringAsync("/v1/requests?limit=1000");
        var pool = await world.PoolAsync("dc", "storage.ssd");
        // The tenant's audit trail too: no hostile call may decide, renew or release anything.
        var audit = await world.Tenant("a").GetStringAsync("/v1/audit?limit=1000");
        return string.Join("\n", capacity, catalog, statement, bill, requests, audit, $"{pool.Allocated}/{pool.Held}/{pool.Total}");
    }

    private static bool HasCode(string text)
    {
        try
        {
            using var json = JsonDocument.Parse(text);
            return json.RootElement.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String && code.GetString()!.Length > 0;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string Shorten(string text) => text.Length > 300 ? text[..300] + "…" : text;

    private FuzzCase Generate(Random random, World world, string requestId)
    {
        var tenant = world.Tenant("a");
        var ssd = world.Resource("storage.ssd");
        string Valid() => JsonSerializer.Serialize(new { items = new[] { new { resource = ssd, amount = 5 } } });
        string WithItem(string item) => "{\"items\":[" + item + "]}";
        string Pick(IReadOnlyList<string> items) => items[random.Next(items.Count)];
        string Long(int min, int max) => new(Pick(["x", "é", "界", "a"])[0], random.Next(min, max));

        switch (random.Next(14))
        {
            case 0:
                var valid = Valid();
                return new(tenant, "POST", "/v1/requests", valid[..random.Next(1, valid.Length - 1)], "truncated JSON");
            case 1:
                return new(tenant, "POST", "/v1/requests", Pick(
                [
                    "{\"items\":\"storage.ssd\"}", "{\"items\":5}", "{\"items\":[5]}", "{\"items\":null}", "[]", "5", "\"x\"", "null", "true",
                    WithItem($"{{\"resource\":\"{ssd}\",\"amount\":\"5\"}}"), WithItem($"{{\"resource\":\"{ssd}\",\"amount\":[5]}}"),
                    WithItem($"{{\"resource\":5,\"amount\":5}}"), WithItem($"{{\"resource\":\"{ssd}\",\"amount\":null}}"),
                    "{\"items\":[{\"resource\":\"" + ssd + "\",\"amount\":5}],\"splittable\":\"yes\"}",
                    "{\"items\":[{\"resource\":\"" + ssd + "\",\"amount\":5}],\"constraints\":[]}",
                ]), "wrong types");
            case 2:
                return new(tenant, "POST", "/v1/requests", WithItem($"{{\"resource\":\"{ssd}\",\"amount\":{Pick(["0", "-1", "-9223372036854775808", "1e30", "1.5", "1000000000001", "9223372036854775808", "NaN", "-0"])}}}"), "bad amount");
            case 3:
                return new(tenant, "POST", "/v1/requests", Valid()[..^1] + $",\"{Pick(ForbiddenFields)}\":{Pick(["\"x\"", "1", "{}", "null"])}}}", "forbidden or unknown field");
            case 4:
                return new(tenant, "POST", "/v1/requests", Pick(
                [
                    WithItem($"{{\"resource\":\"{Long(1_000, 200_000)}\",\"amount\":5}}"),
                    Valid()[..^1] + $",\"constraints\":{{\"residency\":\"{Long(100, 50_000)}\"}}}}",
                    Valid()[..^1] + $",\"constraints\":{{\"providers\":{{\"allow\":[\"{Long(100, 50_000)}\"]}}}}}}",
                    WithItem(string.Join(',', Enumerable.Repeat($"{{\"resource\":\"{ssd}\",\"amount\":1}}", random.Next(17, 2_000)))),
                ]), "overlong");
            case 5:
                var odd = JsonSerializer.Serialize(Pick(OddText));
                return new(tenant, "POST", "/v1/requests", Pick(
                [
                    WithItem($"{{\"resource\":{odd},\"amount\":5}}"),
                    Valid()[..^1] + $",\"constraints\":{{\"residency\":{odd}}}}}",
                    Valid()[..^1] + $",\"priority\":{odd}}}",
                    "{\"items\":[{\"resource\":\"\\ud800\",\"amount\":5}]}",
                ]), "odd unicode");
            case 6:
                return new(tenant, "POST", Pick(["/v1/requests", $"/v1/requests/{requestId}/renew"]), Valid()[..^1] + $",\"lease\":{JsonSerializer.Serialize(Pick(BadDurations))}}}", "bad duration")
                    { RenewBody = $"{{\"lease\":{JsonSerializer.Serialize(Pick(BadDurations))}}}" };
            case 7:
                return new(tenant, "POST", "/v1/requests", Valid(), "bad idempotency key") { IdempotencyKey = Pick(["", new string('k', 129), new string('k', 5_000), " \t", "k\u007f"]) };
            case 8:
                return new(tenant, "POST", Pick(["/v1/requests", $"/v1/requests/{requestId}/renew"]), Valid(), "wrong content type") { ContentType = Pick(["text/plain", "application/xml", "multipart/form-data", "application/x-www-form-urlencoded", ""]) };
            case 9:
                var (method, path) = Pick(["PATCH /v1/requests", "PUT /v1/requests", "POST /v1/catalog", "DELETE /v1/federation/capacity", $"PATCH /v1/requests/{requestId}", $"PUT /v1/requests/{requestId}/renew", "POST /v1/federation", "GET /v1/federation"]).Split(' ') switch { var p => (p[0], p[1]) };
                return new(tenant, method, path, method is "GET" or "DELETE" ? null : Valid(), "wrong method");
            case 10:
                return new(world.Admin("home"), "PUT", $"/v1/datacenters/{world.Id("dc")}/pools/{ssd}", Pick(
                [
                    "{\"total\":-5}", "{\"total\":\"x\"}", "{\"total\":10000,\"headroom\":20000}", "{\"pricePerUnitHour\":-1}", "{\"total\":10000,\"allocated\":0}",
                    "{\"total\":1e40}", "{\"total\":10", "{\"total\":50}", "[]",
                ]), "bad pool change");
            case 11:
                return new(broker.Client(broker.FederationAdminToken), "PUT", "/v1/federation", Pick(
                [
                    "{\"providers\":[{\"id\":\"Bad Id!\"}]}", $"{{\"tenants\":[{{\"id\":\"t-{random.Next()}\",\"homeProvider\":\"nobody-{random.Next()}\"}}]}}",
                    $"{{\"providers\":[{{\"id\":\"{world.Id("home")}\",\"dataCenters\":[{{\"id\":\"{world.Id("dc")}\",\"location\":\"DE-HH\",\"pools\":[{{\"resource\":\"{ssd}\",\"total\":-1}}]}}]}}]}}",
                    "{\"providers\":[{\"id\":\"p\",\"kind\":\"owner\"}]}", "{\"federationAdmins\":[{\"token\":\"\"}],\"x\":1}", "{\"providers\":", "{\"tenants\":[{\"id\":\"" + Long(65, 500) + "\"}]}",
                ]), "bad federation");
            case 12 when random.Next(2) == 0:
                return new(tenant, "GET", "/v1/requests?" + Pick(["state=junk", "limit=0", "limit=-5", "limit=abc", "limit=100000", "after=garbage", "after=" + Long(10, 800), "state=ALLOCATED", "limit=1e3"]), null, "bad query");
            case 12:
                return new(random.Next(2) == 0 ? tenant : broker.Client(broker.FederationAdminToken), "GET", Pick(
                [
                    "/v1/audit?action=junk", "/v1/audit?limit=0", "/v1/audit?limit=1001", "/v1/audit?after=garbage", "/v1/audit?after=1.99.1", "/v1/audit?from=yesterday",
                    "/v1/audit?to=2026-13-01", $"/v1/audit?subject={Long(257, 700)}", "/v1/audit?actor=%00", $"/v1/audit?tenant={Uri.EscapeDataString(Pick(PathText))}x%0A",
                ]), null, "bad audit query");
            default:
                return new(tenant, "GET", Pick(
                [
                    $"/v1/requests/{Uri.EscapeDataString(Pick(PathText))}", "/v1/requests/%2F..%2Fcatalog", $"/v1/requests/{Long(300, 800)}",
                    $"/v1/billing/tenants/{world.Id("a")}?period=2026-13", $"/v1/billing/tenants/{world.Id("a")}?period=abc", $"/v1/billing/providers/{world.Id("home")}?period=0000-00",
                    "/v1/providers/%20/datacenters", $"/v1/billing/tenants/{Uri.EscapeDataString(Pick(PathText))}",
                ]), null, "bad path or period");
        }
    }

    /// <summary>One hostile call: who sends it, what, and what is wrong with it.</summary>
    private sealed record FuzzCase(HttpClient Client, string Method, string Path, string? Body, string What)
    {
        public string? IdempotencyKey { get; init; }

        public string ContentType { get; init; } = "application/json";

        /// <summary>For the renew endpoint, the body that carries the fault (a request body would be an unknown field).</summary>
        public string? RenewBody { get; init; }

        public HttpRequestMessage ToMessage()
        {
            var message = new HttpRequestMessage(new HttpMethod(Method), Path);
            var body = Path.EndsWith("/renew", StringComparison.Ordinal) && RenewBody is not null ? RenewBody : Body;
            if (body is not null)
            {
                message.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
                if (ContentType.Length > 0)
                {
                    message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(ContentType);
                }
            }

            if (IdempotencyKey is not null)
            {
                message.Headers.TryAddWithoutValidation("Idempotency-Key", IdempotencyKey);
            }

            return message;
        }

        public string Describe() => $"{What}: {Method} {(Path.Length > 120 ? Path[..120] + "…" : Path)} {(Body is null ? "" : Body.Length > 160 ? Body[..160] + "…" : Body)}";
    }
}
