using Microsoft.Playwright;

namespace Broker.Tests.Portal;

/// <summary>A provider's admin and the coordination office in the portal, in a real browser without JavaScript.</summary>
[Collection(PortalCollection.Name)]
public sealed class PortalAdminTests(PortalFixture portal)
{
    [Fact]
    public async Task ProviderAdmin_DataCentersChartPoolChangeStatement_AsTheApiHasThem()
    {
        var world = await portal.CreateWorldAsync();
        var served = (await world.RequestAsync("a", world.Body("storage.ssd", 2_500))).Body;
        Assert.Equal("allocated", served.State());
        var page = await portal.NewPageAsync();
        await PortalFixture.SignInAsync(page, world.AdminToken("home"));
        Assert.EndsWith($"/portal/providers/{world.Id("home")}/datacenters", page.Url, StringComparison.Ordinal);

        var chart = page.GetByRole(AriaRole.Img, new() { Name = $"Utilisation at {world.Id("dc")}" });
        Assert.Equal(1, await chart.CountAsync());
        Assert.Contains($"{world.Resource("storage.ssd")}: 25.0%", await chart.Locator("desc").TextContentAsync(), StringComparison.Ordinal);
        var pools = page.GetByRole(AriaRole.Table, new() { Name = $"Utilisation at {world.Id("dc")}" });
        Assert.Contains("2,500", await pools.GetByRole(AriaRole.Row).Filter(new() { HasText = world.Resource("storage.ssd") }).InnerTextAsync(), StringComparison.Ordinal);

        // Growing a pool goes through; shrinking it below what is allocated is the API's 409, shown on the page.
        var form = page.GetByRole(AriaRole.Form, new() { Name = $"Change a pool {world.Id("dc")}/{world.Resource("storage.ssd")}" });
        await form.GetByLabel("Total", new() { Exact = true }).FillAsync("12000");
        await form.GetByRole(AriaRole.Button, new() { Name = "Change", Exact = true }).ClickAsync();
        Assert.Equal("The pool was changed.", await page.GetByRole(AriaRole.Status).InnerTextAsync());
        Assert.Equal(12_000, (await world.PoolAsync("dc", "storage.ssd")).Total);

        form = page.GetByRole(AriaRole.Form, new() { Name = $"Change a pool {world.Id("dc")}/{world.Resource("storage.ssd")}" });
        await form.GetByLabel("Total", new() { Exact = true }).FillAsync("1000");
        var refused = await page.RunAndWaitForResponseAsync(
            () => form.GetByRole(AriaRole.Button, new() { Name = "Change", Exact = true }).ClickAsync(), r => r.Request.Method == "POST");
        Assert.Equal(409, refused.Status);
        Assert.Contains("(capacity-in-use)", await page.GetByRole(AriaRole.Alert).InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(12_000, (await world.PoolAsync("dc", "storage.ssd")).Total);

        // An hour of 2,500 GiB at 0.0001 EUR, ended: 0.25 EUR that home charged its tenant.
        portal.Broker.Clock.Advance(TimeSpan.FromHours(1));
        using (await world.Tenant("a").DeleteAsync($"/v1/requests/{served.GetProperty("id").GetString()}"))
        {
        }

        await page.GetByRole(AriaRole.Link, new() { Name = "Statement", Exact = true }).ClickAsync();
        using var answer = await world.Admin("home").GetAsync($"/v1/billing/providers/{world.Id("home")}");
        var statement = await Json.ReadAsync(answer);
        Assert.Equal(statement.GetProperty("period").GetString(), await page.GetByLabel("Month", new() { Exact = true }).InputValueAsync());
        Assert.Equal(0.25m, statement.GetProperty("net").GetDecimal());
        Assert.Equal("0.25", await page.Locator("#statement-net").InnerTextAsync());
        Assert.Equal($"tenant:{world.Id("a")}\t0.25\t0\t0.25", await page.Locator("#statement tbody tr").InnerTextAsync());
    }

    [Fact]
    public async Task FederationAdmin_CapacitySettlementAuditVerify()
    {
        var world = await portal.CreateWorldAsync();
        var id = (await world.RequestAsync("a", world.Body("compute.vcpu", 300))).Body.GetProperty("id").GetString()!;
        var page = await portal.NewPageAsync();
        await PortalFixture.SignInAsync(page, portal.Broker.FederationAdminToken);
        Assert.EndsWith("/portal/federation", page.Url, StringComparison.Ordinal);

        // 300 vCPUs do not fit home's 200: another member served them, and the chart of "other" shows its 400 at 75 %.
        var chart = page.GetByRole(AriaRole.Img, new() { Name = $"Utilisation at {world.Id("other")}" });
        Assert.Contains($"{world.Resource("compute.vcpu")}: 75.0%", await chart.Locator("desc").TextContentAsync(), StringComparison.Ordinal);

        portal.Broker.Clock.Advance(TimeSpan.FromHours(1));
        using (await world.Tenant("a").DeleteAsync($"/v1/requests/{id}"))
        {
        }

        await page.GetByRole(AriaRole.Link, new() { Name = "Settlement", Exact = true }).ClickAsync();
        var settlement = page.Locator("#settlement");
        // 300 × 1 h × 0.011 EUR: other charged home 3.3 for home's tenant's hour (what home charged its tenant is no
        // settlement between providers): provider, charged, charged by, net.
        Assert.Equal($"{world.Id("other")}\t3.3\t0\t3.3", await settlement.GetByRole(AriaRole.Row).Filter(new() { HasText = world.Id("other") }).InnerTextAsync());
        Assert.Equal($"{world.Id("home")}\t0\t3.3\t-3.3", await settlement.GetByRole(AriaRole.Row).Filter(new() { HasText = world.Id("home") }).InnerTextAsync());
        // The one pair, ordinal, and the one transfer that settles it, as the settlement endpoint computed them.
        var (a, b) = string.CompareOrdinal(world.Id("home"), world.Id("other")) < 0 ? (world.Id("home"), world.Id("other")) : (world.Id("other"), world.Id("home"));
        var net = a == world.Id("other") ? "3.3" : "-3.3";
        Assert.Equal(
            a == world.Id("other") ? $"{a}\t{b}\t3.3\t0\t{net}" : $"{a}\t{b}\t0\t3.3\t{net}",
            await page.Locator("#settlement-pairs tbody tr").InnerTextAsync());
        Assert.Equal($"{world.Id("home")}\t{world.Id("other")}\t3.3", await page.Locator("#settlement-transfers tbody tr").InnerTextAsync());
        Assert.Equal("These are the fewest transfers that settle every position.", await page.Locator("#settlement-minimal").InnerTextAsync());

        await page.GetByRole(AriaRole.Link, new() { Name = "Audit", Exact = true }).ClickAsync();
        await page.GetByLabel("Subject", new() { Exact = true }).FillAsync(id);
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter", Exact = true }).ClickAsync();
        var audit = await page.Locator("#audit tbody").InnerTextAsync();
        Assert.Contains("request.decided", audit, StringComparison.Ordinal);
        Assert.Contains("request.released", audit, StringComparison.Ordinal);
        Assert.Equal(2, await page.Locator("#audit tbody tr").CountAsync());

        await page.GetByRole(AriaRole.Button, new() { Name = "Verify", Exact = true }).ClickAsync();
        Assert.StartsWith("valid — ", await page.Locator("#verification").InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_AsATenant_Refused403()
    {
        var world = await portal.CreateWorldAsync();
        var page = await portal.NewPageAsync();
        await PortalFixture.SignInAsync(page, world.Token("a"));
        await page.GotoAsync("/portal/audit");
        Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "Verify", Exact = true }).CountAsync());
        var token = await page.Locator("input[name=__RequestVerificationToken]").First.GetAttributeAsync("value");
        var form = page.APIRequest.CreateFormData();
        form.Append("__RequestVerificationToken", token!);
        var answer = await page.APIRequest.PostAsync("/portal/audit?handler=Verify", new() { Form = form, MaxRedirects = 0 });
        Assert.Equal(403, answer.Status);
        Assert.DoesNotContain("valid", await answer.TextAsync(), StringComparison.Ordinal);
    }
}
