using System.Net.Http.Headers;
using System.Text;
using static Broker.Tests.Api.ApiExpectations;

namespace Broker.Tests.Api;

/// <summary>Statements and bills with who may read them; health, OpenAPI, the reference page and the dashboard.</summary>
[Collection(BrokerCollection.Name)]
public sealed class BillingAndOperationsApiTests(BrokerFixture broker)
{
    [Fact]
    public async Task Statements_AfterAFederationAllocationEnds_BothProvidersAndTheTenantSeeTheSameSum()
    {
        var world = await broker.CreateWorldAsync(w =>
        {
            var home = w.Member("home", "DE-HH").DataCenter("home-dc", "DE-HH", ProtectionLevel.Normal, Pool("storage.ssd", 10, 0.0001m));
            w.Member("other", "DE-BY").DataCenter("other-dc", "DE-BY", ProtectionLevel.Normal, Pool("storage.ssd", 10_000, 0.0002m));
            w.Tenant("t", home);
            w.Tenant("u", home);
        });
        var (_, request) = await world.RequestAsync("t", world.Body("storage.ssd", 1_000));
        Assert.Equal("federation", request.Tier());
        broker.Clock.Advance(TimeSpan.FromHours(3));
        await ExpectAsync(world.Tenant("t"), HttpMethod.Delete, $"/v1/requests/{request.GetProperty("id").GetString()}", null, HttpStatusCode.OK);
        var period = request.GetProperty("decidedAt").GetDateTimeOffset().ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        const decimal cost = 1_000 * 0.0002m * 3;

        var bill = await ExpectAsync(world.Tenant("t"), HttpMethod.Get, $"/v1/billing/tenants/{world.Id("t")}?period={period}", null, HttpStatusCode.OK);
        var home = await ExpectAsync(world.Admin("home"), HttpMethod.Get, $"/v1/billing/providers/{world.Id("home")}?period={period}", null, HttpStatusCode.OK);
        var other = await ExpectAsync(broker.Client(broker.FederationAdminToken), HttpMethod.Get, $"/v1/billing/providers/{world.Id("other")}?period={period}", null, HttpStatusCode.OK);

        Assert.Equal(cost, bill.GetProperty("total").GetDecimal());
        Assert.Equal((cost, cost, 0m), (home.GetProperty("charged").GetDecimal(), home.GetProperty("chargedBy").GetDecimal(), home.GetProperty("net").GetDecimal()));
        Assert.Equal((cost, 0m, cost), (other.GetProperty("charged").GetDecimal(), other.GetProperty("chargedBy").GetDecimal(), other.GetProperty("net").GetDecimal()));
        var line = Assert.Single(other.GetProperty("counterparties").EnumerateArray());
        Assert.Equal(world.Id("home"), line.GetProperty("counterparty").GetProperty("id").GetString());

        await ExpectAsync(world.Tenant("u"), HttpMethod.Get, $"/v1/billing/tenants/{world.Id("t")}?period={period}", null, HttpStatusCode.Forbidden, "forbidden");
        await ExpectAsync(world.Admin("other"), HttpMethod.Get, $"/v1/billing/tenants/{world.Id("t")}?period={period}", null, HttpStatusCode.Forbidden, "forbidden");
        await ExpectAsync(world.Admin("other"), HttpMethod.Get, $"/v1/billing/providers/{world.Id("home")}?period={period}", null, HttpStatusCode.Forbidden, "forbidden");
        await ExpectAsync(world.Tenant("t"), HttpMethod.Get, $"/v1/billing/providers/{world.Id("home")}?period={period}", null, HttpStatusCode.Forbidden, "forbidden");
        await ExpectAsync(world.Tenant("t"), HttpMethod.Get, $"/v1/billing/tenants/{world.Id("t")}?period=2026-13", null, HttpStatusCode.BadRequest, "invalid-request");
        await ExpectAsync(world.Admin("home"), HttpMethod.Get, $"/v1/billing/providers/{world.Id("home")}?period=last-month", null, HttpStatusCode.BadRequest, "invalid-request");
        await ExpectAsync(world.Tenant("t"), HttpMethod.Get, "/v1/billing/tenants/nobody", null, HttpStatusCode.NotFound, "not-found");
        await ExpectAsync(world.Admin("home"), HttpMethod.Get, "/v1/billing/providers/nobody", null, HttpStatusCode.NotFound, "not-found");
        await ExpectAsync(broker.Client(), HttpMethod.Get, $"/v1/billing/tenants/{world.Id("t")}", null, HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task Settlement_OnlyTheFederationAdmin_401WithoutToken_403ForOthers_400ForABadPeriod()
    {
        var world = await broker.CreateWorldAsync(w => w.Tenant("t", w.Member("home", "DE-HH")));
        var admin = broker.Client(broker.FederationAdminToken);

        await ExpectAsync(broker.Client(), HttpMethod.Get, "/v1/billing/settlement", null, HttpStatusCode.Unauthorized, "unauthenticated");
        await ExpectAsync(world.Tenant("t"), HttpMethod.Get, "/v1/billing/settlement", null, HttpStatusCode.Forbidden, "forbidden");
        await ExpectAsync(world.Admin("home"), HttpMethod.Get, "/v1/billing/settlement?period=2026-11", null, HttpStatusCode.Forbidden, "forbidden");
        foreach (var period in new[] { "2026-13", "2026-1", "last-month", "1999-12" })
        {
            var problem = await ExpectAsync(admin, HttpMethod.Get, $"/v1/billing/settlement?period={period}", null, HttpStatusCode.BadRequest, "invalid-request");
            Assert.Equal(["period"], problem.GetProperty("errors").EnumerateObject().Select(e => e.Name));
        }

        // Without a period, the current month by the broker's clock.
        var current = await ExpectAsync(admin, HttpMethod.Get, "/v1/billing/settlement", null, HttpStatusCode.OK);
        Assert.Equal((broker.Clock.GetUtcNow().ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture), "EUR"), (current.GetProperty("period").GetString(), current.GetProperty("currency").GetString()));
    }

    [Theory]
    [InlineData(null, "application/json")]
    [InlineData("*/*", "application/json")]
    [InlineData("application/json, text/csv", "application/json")]
    [InlineData("text/csv;q=0.5, application/json", "application/json")]
    [InlineData("text/csv", "text/csv")]
    [InlineData("text/*", "text/csv")]
    [InlineData("application/json;q=0.2, text/csv", "text/csv")]
    public async Task Bill_AcceptHeader_CsvOnlyWhenPreferredOverJson(string? accept, string mediaType)
    {
        var world = await broker.CreateWorldAsync(w => w.Tenant("t", w.Member("home", "DE-HH")));
        using var message = new HttpRequestMessage(HttpMethod.Get, $"/v1/billing/tenants/{world.Id("t")}");
        if (accept is not null)
        {
            message.Headers.Accept.ParseAdd(accept);
        }

        using var response = await world.Tenant("t").SendAsync(message);

        Assert.Equal((HttpStatusCode.OK, mediaType), (response.StatusCode, response.Content.Headers.ContentType?.MediaType));
    }


    [Fact]
    public async Task Operations_HealthOpenApiReferenceAndUnknownRoutes()
    {
        var anonymous = broker.Client();

        await ExpectAsync(anonymous, HttpMethod.Get, "/health/live", null, HttpStatusCode.OK);
        await ExpectAsync(anonymous, HttpMethod.Get, "/health/ready", null, HttpStatusCode.OK);
        var openApi = await ExpectAsync(anonymous, HttpMethod.Get, "/openapi/v1.json", null, HttpStatusCode.OK);
        using var reference = await anonymous.GetAsync("/scalar/v1");
        await ExpectAsync(anonymous, HttpMethod.Get, "/v1/nothing-here", null, HttpStatusCode.NotFound, "not-found");

        var paths = openApi.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToHashSet();
        Assert.Superset(new HashSet<string> { "/v1/requests", "/v1/requests/{id}", "/v1/requests/{id}/renew", "/v1/catalog", "/v1/federation/capacity", "/v1/providers/{id}/datacenters", "/v1/datacenters/{dc}/pools/{resource}", "/v1/billing/providers/{id}", "/v1/billing/tenants/{id}", "/v1/billing/settlement", "/v1/audit", "/v1/audit/verify" }, paths);
        Assert.Equal(
            ["tenant", "provider", "action", "subject", "actor", "from", "to", "limit", "after"],
            openApi.GetProperty("paths").GetProperty("/v1/audit").GetProperty("get").GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        Assert.Equal(HttpStatusCode.OK, reference.StatusCode);
        Assert.Equal("text/html", reference.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Dashboard_OnlyForTheFederationAdmin()
    {
        var world = await broker.CreateWorldAsync(w => w.Tenant("t", w.Member("home", "DE-HH")));
        var browser = broker.Client();
        browser.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("ops:" + broker.FederationAdminToken)));

        using var anonymous = await broker.Client().GetAsync("/dashboard/");
        using var asTenant = await world.Tenant("t").GetAsync("/dashboard/");
        using var asAdmin = await browser.GetAsync("/dashboard/");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Contains("Basic", anonymous.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, asTenant.StatusCode);
        Assert.Equal(HttpStatusCode.OK, asAdmin.StatusCode);
        Assert.Equal("text/html", asAdmin.Content.Headers.ContentType?.MediaType);
    }
}
