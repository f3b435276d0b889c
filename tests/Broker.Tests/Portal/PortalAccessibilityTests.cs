using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Broker.Tests.Portal;

/// <summary>
/// axe-core on every page of the portal, as each kind of principal sees it, in English and German: no serious or
/// critical violation. With <c>BROKER_PORTAL_SCREENSHOTS=&lt;folder&gt;</c> the main pages are also saved there as PNG
/// (<c>scripts/portal-screenshots.sh</c> writes docs/portal/).
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class PortalAccessibilityTests(PortalFixture portal, ITestOutputHelper output)
{
    private readonly string? _screenshots = Environment.GetEnvironmentVariable("BROKER_PORTAL_SCREENSHOTS");

    [Fact]
    public async Task EveryPage_Axe_NoSeriousOrCriticalViolation()
    {
        var world = await portal.CreateWorldAsync();
        var allocated = (await world.RequestAsync("a", world.Body("storage.ssd", 4_000, lease: "P7D"))).Body.GetProperty("id").GetString()!;
        await world.RequestAsync("a", world.Body("compute.vcpu", 300));
        var released = (await world.RequestAsync("a", world.Body("storage.ssd", 800))).Body.GetProperty("id").GetString()!;
        await world.RequestAsync("a", world.Body("storage.ssd", 10, constraints: new { protectionLevel = "very-high", residency = "DE-SL" }));
        portal.Broker.Clock.Advance(TimeSpan.FromHours(5));
        using (await world.Tenant("a").DeleteAsync($"/v1/requests/{released}"))
        {
        }

        var found = new List<string>();
        var anonymous = await portal.NewPageAsync(javaScript: true);
        await CheckAsync(anonymous, "/portal/sign-in", "sign-in", found, screenshot: "sign-in");

        // The check can fail: a field without a label, added to the page, is a critical violation to axe.
        await anonymous.EvaluateAsync("() => document.querySelector('main').insertAdjacentHTML('beforeend', '<input type=\"text\">')");
        Assert.Contains(await Axe.RunAsync(anonymous, portal.AxeSource), v => v.Rule == "label" && v.Impact == "critical");
        await anonymous.GetByLabel("Token", new() { Exact = true }).FillAsync("wrong");
        await anonymous.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await CheckAsync(anonymous, null, "sign-in, token refused", found);
        await CheckAsync(anonymous, "/portal/status/404", "status 404", found);

        var tenant = await portal.NewPageAsync(javaScript: true);
        await PortalFixture.SignInAsync(tenant, world.Token("a"));
        await CheckAsync(tenant, "/portal/catalogue", "catalogue", found, screenshot: "catalogue");
        await CheckAsync(tenant, "/portal/order", "order", found, screenshot: "order");
        await tenant.GetByLabel("Amount", new() { Exact = true }).FillAsync("many");
        await tenant.GetByRole(AriaRole.Button, new() { Name = "Request", Exact = true }).ClickAsync();
        await CheckAsync(tenant, null, "order, refused", found);
        await CheckAsync(tenant, $"/portal/requests/{allocated}", "request", found, screenshot: "request");
        await CheckAsync(tenant, "/portal/requests", "requests", found, screenshot: "requests");
        await CheckAsync(tenant, $"/portal/tenants/{world.Id("a")}/bill", "bill", found, screenshot: "bill");
        await CheckAsync(tenant, "/portal/settlement", "refused (403)", found);

        var admin = await portal.NewPageAsync(javaScript: true);
        await PortalFixture.SignInAsync(admin, world.AdminToken("home"));
        await CheckAsync(admin, $"/portal/providers/{world.Id("home")}/datacenters", "data centers", found, screenshot: "datacenters");
        await CheckAsync(admin, $"/portal/providers/{world.Id("home")}/statement", "statement", found, screenshot: "statement");

        var office = await portal.NewPageAsync(javaScript: true);
        await PortalFixture.SignInAsync(office, portal.Broker.FederationAdminToken);
        await CheckAsync(office, "/portal/federation", "federation", found, screenshot: "federation");
        await CheckAsync(office, "/portal/settlement", "settlement", found, screenshot: "settlement");
        await office.GotoAsync($"/portal/audit?tenant={world.Id("a")}");
        await office.GetByRole(AriaRole.Button, new() { Name = "Verify", Exact = true }).ClickAsync();
        await CheckAsync(office, null, "audit, verified", found, screenshot: "audit");

        var german = await portal.NewPageAsync("de-DE", javaScript: true);
        await PortalFixture.SignInAsync(german, world.Token("a"), signIn: "Anmelden", signOut: "Abmelden");
        await CheckAsync(german, "/portal/catalogue", "catalogue (de)", found);
        await CheckAsync(german, $"/portal/requests/{allocated}", "request (de)", found, screenshot: "request-de");

        Assert.True(found.Count == 0, "serious or critical violations:\n" + string.Join("\n", found));
    }

    private async Task CheckAsync(IPage page, string? path, string name, List<string> found, string? screenshot = null)
    {
        if (path is not null)
        {
            await page.GotoAsync(path);
        }

        // No page of the portal has a script of its own: everything works with JavaScript off, as these tests run.
        Assert.Equal(0, await page.Locator("script").CountAsync());
        var violations = await Axe.RunAsync(page, portal.AxeSource);
        var serious = violations.Where(v => v.IsSeriousOrCritical()).ToList();
        output.WriteLine($"{name}: serious {serious.Count(v => v.Impact == "serious")}, critical {serious.Count(v => v.Impact == "critical")}, other {violations.Count - serious.Count}");
        found.AddRange(serious.Select(v => $"{name}: {v.Rule} ({v.Impact}, {v.Nodes} nodes: {v.Targets}) {v.Help}"));
        if (screenshot is not null && !string.IsNullOrEmpty(_screenshots))
        {
            System.IO.Directory.CreateDirectory(_screenshots);
            await page.ScreenshotAsync(new() { Path = Path.Combine(_screenshots, screenshot + ".png"), FullPage = true });
        }
    }
}
