using Microsoft.Playwright;

namespace Broker.Tests.Portal;

/// <summary>A tenant in the portal, in a real browser without JavaScript: every action a form, every answer the API's.</summary>
[Collection(PortalCollection.Name)]
public sealed class PortalTenantTests(PortalFixture portal)
{
    private BrokerFixture Broker => portal.Broker;

    [Fact]
    public async Task Tenant_SignInOrderRenewReleaseBill_EachStepAsTheApiHasIt()
    {
        var world = await portal.CreateWorldAsync();
        var page = await portal.NewPageAsync();
        await PortalFixture.SignInAsync(page, world.Token("a"));
        Assert.EndsWith("/portal/catalogue", page.Url, StringComparison.Ordinal);
        Assert.True(await page.GetByRole(AriaRole.Heading, new() { Name = world.Resource("storage.ssd"), Exact = true }).IsVisibleAsync());

        await page.GetByRole(AriaRole.Link, new() { Name = "Order", Exact = true }).ClickAsync();
        await page.GetByLabel("Resource", new() { Exact = true }).SelectOptionAsync(world.Resource("storage.ssd"));
        await page.GetByLabel("Amount", new() { Exact = true }).FillAsync("500");
        await page.GetByLabel("Protection level", new() { Exact = true }).SelectOptionAsync("high");
        await page.GetByLabel("Residency", new() { Exact = true }).FillAsync("DE-HH");
        await page.GetByLabel("Lease", new() { Exact = true }).FillAsync("P7D");
        await page.GetByRole(AriaRole.Button, new() { Name = "Request", Exact = true }).ClickAsync();

        var id = page.Url[(page.Url.LastIndexOf('/') + 1)..];
        Assert.Equal("allocated", await page.Locator("#state").InnerTextAsync());
        Assert.Equal("home", await page.Locator("#tier").InnerTextAsync());
        var trace = page.GetByRole(AriaRole.Table, new() { Name = "How the broker decided" });
        Assert.Contains(world.Id("dc"), await trace.InnerTextAsync(), StringComparison.Ordinal);
        var (status, request) = await world.GetAsync("a", id);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("allocated", request.State());
        Assert.Equal([world.Id("dc")], request.DataCenters());
        Assert.Equal("P7D", request.GetProperty("request").GetProperty("lease").GetString());
        Assert.Equal("high", request.GetProperty("request").GetProperty("constraints").GetProperty("protectionLevel").GetString());
        Assert.Equal(500, (await world.PoolAsync("dc", "storage.ssd")).Allocated);

        // Two hours on, Renew in the request's row starts its seven days again from now.
        Broker.Clock.Advance(TimeSpan.FromHours(2));
        await page.GetByRole(AriaRole.Link, new() { Name = "Requests", Exact = true }).ClickAsync();
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = id });
        Assert.Contains("allocated", await row.InnerTextAsync(), StringComparison.Ordinal);
        await row.GetByRole(AriaRole.Button, new() { Name = "Renew", Exact = true }).ClickAsync();
        Assert.Equal("Renewed: the lease runs again from now.", await page.GetByRole(AriaRole.Status).InnerTextAsync());
        var renewed = (await world.GetAsync("a", id)).Body;
        Assert.Equal(Broker.Clock.GetUtcNow() + TimeSpan.FromDays(7), renewed.GetProperty("leaseExpiresAt").GetDateTimeOffset());

        // While it runs, the bill accrues it up to now and marks the line running: 500 GiB × 2 h × 0.0001 EUR.
        await page.GetByRole(AriaRole.Link, new() { Name = "Bill", Exact = true }).ClickAsync();
        var runningLine = page.Locator("#bill tbody tr").Filter(new() { HasText = id });
        Assert.EndsWith(" (running)\t0.0001\t0.1", await runningLine.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("0.1", await page.Locator("#bill-total").InnerTextAsync());

        await page.GetByRole(AriaRole.Link, new() { Name = "Requests", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Row).Filter(new() { HasText = id }).GetByRole(AriaRole.Button, new() { Name = "Release", Exact = true }).ClickAsync();
        Assert.Equal("Released.", await page.GetByRole(AriaRole.Status).InnerTextAsync());
        Assert.Contains("released", await page.GetByRole(AriaRole.Row).Filter(new() { HasText = id }).InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("released", (await world.GetAsync("a", id)).Body.State());
        Assert.Equal(0, (await world.PoolAsync("dc", "storage.ssd")).Allocated);

        // 500 GiB for two hours at 0.0001 EUR per unit-hour: 0.1 EUR, on the page as the API bills it.
        await page.GetByRole(AriaRole.Link, new() { Name = "Bill", Exact = true }).ClickAsync();
        using var bill = await world.Tenant("a").GetAsync($"/v1/billing/tenants/{world.Id("a")}");
        var billed = await Json.ReadAsync(bill);
        Assert.Equal(0.1m, billed.GetProperty("total").GetDecimal());
        Assert.Equal("0.1", await page.Locator("#bill-total").InnerTextAsync());
        Assert.Contains(id, await page.Locator("#bill").InnerTextAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("running", await page.Locator("#bill").InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Order_RefusedByTheApisValidation_FieldsNamedAnd400()
    {
        var world = await portal.CreateWorldAsync();
        var page = await portal.NewPageAsync();
        await PortalFixture.SignInAsync(page, world.Token("a"));
        await page.GotoAsync("/portal/order");
        await page.GetByLabel("Resource", new() { Exact = true }).SelectOptionAsync(world.Resource("storage.ssd"));
        await page.GetByLabel("Amount", new() { Exact = true }).FillAsync("0");
        await page.GetByLabel("Lease", new() { Exact = true }).FillAsync("P400D");
        var answer = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Request", Exact = true }).ClickAsync(),
            r => r.Request.Method == "POST");

        Assert.Equal(400, answer.Status);
        Assert.Equal("must be a whole number from 1 to 1000000000000", await page.Locator("#item-0-amount-error").InnerTextAsync());
        Assert.Equal("must be longer than zero and at most P365D", await page.Locator("#lease-error").InnerTextAsync());
        Assert.Equal("true", await page.GetByLabel("Amount", new() { Exact = true }).GetAttributeAsync("aria-invalid"));
        using var list = await world.Tenant("a").GetAsync("/v1/requests");
        Assert.Equal(0, (await Json.ReadAsync(list)).GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task WrongToken_Refused401_NoSessionKept()
    {
        var page = await portal.NewPageAsync();
        await page.GotoAsync("/portal/sign-in");
        await page.GetByLabel("Token", new() { Exact = true }).FillAsync("not-a-token-" + Guid.NewGuid().ToString("N"));
        var answer = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync(),
            r => r.Url.Contains("check=true", StringComparison.Ordinal));

        Assert.Equal(401, answer.Status);
        Assert.Equal("This token is not accepted.", await page.GetByRole(AriaRole.Alert).InnerTextAsync());
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "broker-portal-token");
        await page.GotoAsync("/portal/requests");
        Assert.Contains("/portal/sign-in?returnUrl=%2Fportal%2Frequests", page.Url, StringComparison.Ordinal);
        Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true }).CountAsync());
    }

    [Fact]
    public async Task Tenant_OtherTenantsAndAdminsPages_404Or403AndNothingShown()
    {
        var world = await portal.CreateWorldAsync();
        var (_, theirs) = await world.RequestAsync("b", world.Body("storage.ssd", 7));
        var theirId = theirs.GetProperty("id").GetString()!;
        var page = await portal.NewPageAsync();
        await PortalFixture.SignInAsync(page, world.Token("a"));

        var pages = new Dictionary<string, int>
        {
            [$"/portal/requests/{theirId}"] = 404,
            [$"/portal/tenants/{world.Id("b")}/bill"] = 403,
            [$"/portal/providers/{world.Id("home")}/datacenters"] = 403,
            [$"/portal/providers/{world.Id("home")}/statement"] = 403,
            ["/portal/settlement"] = 403,
        };
        foreach (var (path, expected) in pages)
        {
            var response = await page.GotoAsync(path);
            Assert.True(expected == response!.Status, $"{path}: {response.Status}, expected {expected}");
            Assert.DoesNotContain(world.Id("b") + " ", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        }

        await page.GotoAsync("/portal/requests");
        Assert.DoesNotContain(theirId, await page.ContentAsync(), StringComparison.Ordinal);

        var admin = await portal.NewPageAsync();
        await PortalFixture.SignInAsync(admin, world.AdminToken("home"));
        Assert.Equal(403, (await admin.GotoAsync("/portal/order"))!.Status);
        Assert.Equal(403, (await admin.GotoAsync("/portal/requests"))!.Status);
        Assert.Equal(403, (await admin.GotoAsync($"/portal/providers/{world.Id("other")}/datacenters"))!.Status);
    }

    [Fact]
    public async Task PostWithoutAntiforgeryToken_Refused400_NothingReleased()
    {
        var world = await portal.CreateWorldAsync();
        var id = (await world.RequestAsync("a", world.Body("storage.ssd", 9))).Body.GetProperty("id").GetString()!;
        var page = await portal.NewPageAsync();
        await PortalFixture.SignInAsync(page, world.Token("a"));
        await page.GotoAsync("/portal/requests");

        // The session cookie alone, as another site's form would send it: refused, and the request stays allocated.
        var forged = await page.APIRequest.PostAsync("/portal/requests?handler=Release", new() { Form = FormWith(page, ("id", id)), MaxRedirects = 0 });
        Assert.Equal(400, forged.Status);
        Assert.Equal("allocated", (await world.GetAsync("a", id)).Body.State());
        var forgedSignIn = await page.APIRequest.PostAsync("/portal/sign-in", new() { Form = FormWith(page, ("token", world.Token("b"))), MaxRedirects = 0 });
        Assert.Equal(400, forgedSignIn.Status);

        // The same post with the form's own token goes through: the refusal above was the missing token's.
        var token = await page.Locator("input[name=__RequestVerificationToken]").First.GetAttributeAsync("value");
        var genuine = await page.APIRequest.PostAsync("/portal/requests?handler=Release", new() { Form = FormWith(page, ("id", id), ("__RequestVerificationToken", token!)), MaxRedirects = 0 });
        Assert.Equal(302, genuine.Status);
        Assert.Equal("released", (await world.GetAsync("a", id)).Body.State());
    }

    [Fact]
    public async Task KeyboardOnly_SkipLinkFocusVisible_SignInAndOrderWithEnter()
    {
        var world = await portal.CreateWorldAsync();
        var page = await portal.NewPageAsync();
        await page.GotoAsync("/portal/sign-in");
        await page.Keyboard.PressAsync("Tab");
        var skip = page.GetByRole(AriaRole.Link, new() { Name = "Skip to content" });
        Assert.True(await skip.EvaluateAsync<bool>("e => e === document.activeElement"));
        Assert.Equal("solid 3px", await skip.EvaluateAsync<string>("e => getComputedStyle(e).outlineStyle + ' ' + getComputedStyle(e).outlineWidth"));

        await TabToAsync(page, "token");
        await page.Keyboard.TypeAsync(world.Token("a"));
        Assert.Equal(world.Token("a"), await page.GetByLabel("Token", new() { Exact = true }).InputValueAsync());
        await page.Keyboard.PressAsync("Enter");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true }).WaitForAsync();
        Assert.EndsWith("/portal/catalogue", page.Url, StringComparison.Ordinal);

        await page.GotoAsync("/portal/order");
        await TabToAsync(page, "item-0-resource");
        await page.Keyboard.TypeAsync(world.Resource("storage.ssd"));
        await TabToAsync(page, "item-0-amount");
        await page.Keyboard.TypeAsync("3");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync("**/portal/requests/r-*");
        Assert.Equal("allocated", await page.Locator("#state").InnerTextAsync());
        Assert.Equal(3, (await world.PoolAsync("dc", "storage.ssd")).Allocated);
    }

    [Fact]
    public async Task AcceptLanguageGerman_PagesInGerman_SwitchBackToEnglishStays()
    {
        var page = await portal.NewPageAsync("de-DE");
        await page.GotoAsync("/portal/sign-in");
        Assert.Equal("de", await page.Locator("html").GetAttributeAsync("lang"));
        Assert.Equal(1, await page.GetByRole(AriaRole.Button, new() { Name = "Anmelden", Exact = true }).CountAsync());

        await page.GetByRole(AriaRole.Button, new() { Name = "English", Exact = true }).ClickAsync();
        Assert.Equal("en", await page.Locator("html").GetAttributeAsync("lang"));
        await page.GotoAsync("/portal/sign-in");
        Assert.Equal(1, await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).CountAsync());
        Assert.Equal("true", await page.GetByRole(AriaRole.Button, new() { Name = "English", Exact = true }).GetAttributeAsync("aria-pressed"));
    }

    private static async Task TabToAsync(IPage page, string id)
    {
        for (var i = 0; i < 40; i++)
        {
            if (await page.EvaluateAsync<string>("() => document.activeElement?.id ?? ''") == id)
            {
                return;
            }

            await page.Keyboard.PressAsync("Tab");
        }

        Assert.Fail($"#{id} was not reached with Tab");
    }

    private static IFormData FormWith(IPage page, params (string Name, string Value)[] fields)
    {
        var form = page.APIRequest.CreateFormData();
        foreach (var (name, value) in fields)
        {
            form.Append(name, value);
        }

        return form;
    }
}
