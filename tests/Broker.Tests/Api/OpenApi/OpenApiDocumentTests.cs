using System.Text.Json;

namespace Broker.Tests.Api.OpenApi;

/// <summary>What the OpenAPI document a real silo serves promises, operation by operation.</summary>
[Collection(BrokerCollection.Name)]
public sealed class OpenApiDocumentTests(BrokerFixture broker)
{
    /// <summary>Every answer each operation can give; the traffic test shows the broker gives no other.</summary>
    public static readonly TheoryData<string, string, string> Answers = new()
    {
        { "get", "/health/live", "200" },
        { "get", "/health/ready", "200 503" },
        { "post", "/v1/requests", "200 201 202 400 401 403 409 413 415 429 500 503" },
        { "get", "/v1/requests", "200 400 401 403 429 500 503" },
        { "get", "/v1/requests/{id}", "200 401 403 404 429 500 503" },
        { "delete", "/v1/requests/{id}", "200 401 403 404 429 500 503" },
        { "post", "/v1/requests/{id}/renew", "200 400 401 403 404 409 413 415 429 500 503" },
        { "post", "/v1/reservations", "200 201 400 401 403 409 413 415 429 500 503" },
        { "get", "/v1/reservations", "200 400 401 403 429 500 503" },
        { "get", "/v1/reservations/{id}", "200 401 403 404 429 500 503" },
        { "delete", "/v1/reservations/{id}", "200 401 403 404 429 500 503" },
        { "get", "/v1/catalog", "200 401 429 500" },
        { "get", "/v1/federation/capacity", "200 401 429 500" },
        { "get", "/v1/providers/{id}/datacenters", "200 401 403 404 429 500 503" },
        { "put", "/v1/datacenters/{dc}/pools/{resource}", "200 201 400 401 403 404 409 413 415 429 500 503" },
        { "put", "/v1/federation", "200 400 401 403 413 415 500 503" },
        { "post", "/v1/datacenters/{dc}/drain", "200 202 400 401 403 404 413 415 429 500 503" },
        { "get", "/v1/datacenters/{dc}/drain", "200 401 403 404 429 500 503" },
        { "delete", "/v1/datacenters/{dc}/drain", "200 401 403 404 429 500 503" },
        { "get", "/v1/billing/providers/{id}", "200 400 401 403 404 429 500 503" },
        { "get", "/v1/billing/tenants/{id}", "200 400 401 403 404 429 500 503" },
        { "get", "/v1/billing/settlement", "200 400 401 403 500 503" },
        { "get", "/v1/audit", "200 400 401 403 429 500 503" },
        { "get", "/v1/audit/verify", "200 400 401 403 500 503" },
    };

    [Theory]
    [MemberData(nameof(Answers))]
    public async Task Operation_DeclaresEveryAnswer_ProblemsAsProblemDocuments(string method, string path, string statuses)
    {
        var operation = (await DocumentAsync()).GetProperty("paths").GetProperty(path).GetProperty(method);
        var responses = operation.GetProperty("responses").EnumerateObject().ToArray();

        Assert.Equal(statuses, string.Join(' ', responses.Select(r => r.Name)));
        foreach (var problem in responses.Where(r => int.Parse(r.Name, System.Globalization.CultureInfo.InvariantCulture) >= 400 && !path.StartsWith("/health", StringComparison.Ordinal)))
        {
            var schema = problem.Value.GetProperty("content").GetProperty("application/problem+json").GetProperty("schema");
            Assert.Equal("#/components/schemas/Problem", schema.GetProperty("allOf")[0].GetProperty("$ref").GetString());
            Assert.NotEqual(0, schema.GetProperty("allOf")[1].GetProperty("properties").GetProperty("code").GetProperty("enum").GetArrayLength());
        }
    }

    [Theory]
    [InlineData("/v1/billing/tenants/{id}")]
    [InlineData("/v1/billing/providers/{id}")]
    [InlineData("/v1/billing/settlement")]
    public async Task BillingOperation_SuccessAnswersJsonOrCsv_TheCsvColumnsNamed(string path)
    {
        var ok = (await DocumentAsync()).GetProperty("paths").GetProperty(path).GetProperty("get").GetProperty("responses").GetProperty("200").GetProperty("content");

        Assert.Equal(["application/json", "text/csv"], ok.EnumerateObject().Select(c => c.Name).Order(StringComparer.Ordinal));
        var csv = ok.GetProperty("text/csv").GetProperty("schema");
        Assert.Equal("string", csv.GetProperty("type").GetString());
        Assert.Contains("BillingPeriodStart, BillingPeriodEnd, ChargePeriodStart", csv.GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Document_EveryOperationInTheTable_WithSummaryAndUniqueOperationId_NoDashboard()
    {
        var document = await DocumentAsync();
        var operations = document.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(o => (Method: o.Name, Path: p.Name, Operation: o.Value)))
            .ToArray();

        Assert.Equal(Answers.Select(row => $"{row[0]} {row[1]}").Order(StringComparer.Ordinal), operations.Select(o => $"{o.Method} {o.Path}").Order(StringComparer.Ordinal));
        Assert.All(operations, o => Assert.False(string.IsNullOrWhiteSpace(o.Operation.GetProperty("summary").GetString()), $"{o.Method} {o.Path} has no summary"));
        Assert.Equal(operations.Length, operations.Select(o => o.Operation.GetProperty("operationId").GetString()).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task Document_BearerOnEveryOperationButHealth_ServerWithoutTrailingSlash_LicenseAndContact()
    {
        var document = await DocumentAsync();
        var operations = document.GetProperty("paths").EnumerateObject().SelectMany(p => p.Value.EnumerateObject().Select(o => (Path: p.Name, Operation: o.Value))).ToArray();

        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer");
        Assert.Equal(("http", "bearer"), (scheme.GetProperty("type").GetString(), scheme.GetProperty("scheme").GetString()));
        Assert.False(document.TryGetProperty("security", out _), "no security for the whole document: it is per operation");
        Assert.All(operations, o => Assert.Equal(
            o.Path.StartsWith("/health/", StringComparison.Ordinal) ? "[]" : """[{"bearer":[]}]""",
            JsonSerializer.Serialize(o.Operation.GetProperty("security"))));
        Assert.Equal(broker.BaseAddress.ToString().TrimEnd('/'), document.GetProperty("servers").EnumerateArray().Single().GetProperty("url").GetString());
        var info = document.GetProperty("info");
        Assert.Equal("EUPL-1.2", info.GetProperty("license").GetProperty("identifier").GetString());
        Assert.False(string.IsNullOrEmpty(info.GetProperty("contact").GetProperty("name").GetString()));
    }

    private async Task<JsonElement> DocumentAsync()
    {
        using var client = broker.Client();
        using var response = await client.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await Json.ReadAsync(response);
    }
}
