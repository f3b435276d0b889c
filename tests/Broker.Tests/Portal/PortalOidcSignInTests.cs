using System.Security.Claims;
using Microsoft.Playwright;

namespace Broker.Tests.Portal;

/// <summary>The portal's broker with a client at a <see cref="TestIdentityProvider"/> of its own, and the browser.</summary>
public sealed class PortalOidcFixture : PortalFixture
{
    public TestIdentityProvider Issuer { get; } = new();

    protected override async Task<string[]> BrokerSettingsAsync()
    {
        await Issuer.StartAsync();
        return
        [
            "--Broker:Oidc:Authority", Issuer.Authority,
            "--Broker:Oidc:Audience", TestIdentityProvider.Audience,
            "--Broker:Oidc:ClientId", TestIdentityProvider.ClientId,
            "--Broker:Oidc:ClientSecret", Issuer.ClientSecret,
            "--Broker:Oidc:Scope", "openid profile",
            // The test's issuer speaks plain HTTP on loopback.
            "--Broker:Oidc:RequireHttpsMetadata", "false",
        ];
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Issuer.DisposeAsync();
    }
}

/// <summary>
/// The redirect sign-in (authorization code flow with PKCE) in a real browser without JavaScript: to the issuer and back,
/// the access token it returns judged by the API's JWT handler as the session cookie's token.
/// </summary>
public sealed class PortalOidcSignInTests(PortalOidcFixture portal) : IClassFixture<PortalOidcFixture>
{
    private const string ProviderButton = "Sign in with the identity provider";

    private TestIdentityProvider Issuer => portal.Issuer;

    [Fact]
    public async Task TenantAtIssuer_LandsSignedInOnItsRequestsPage_WithOnlyTheSessionCookie()
    {
        var world = await portal.CreateWorldAsync();
        var own = (await world.RequestAsync("a", world.Body("storage.ssd", 100))).Body.GetProperty("id").GetString()!;
        var others = (await world.RequestAsync("b", world.Body("storage.ssd", 100))).Body.GetProperty("id").GetString()!;
        var redeemed = Issuer.Redeemed;
        Issuer.NextUser = [new Claim("broker_tenant", world.Id("a"))];

        var page = await portal.NewPageAsync();
        await page.GotoAsync("/portal/requests");
        Assert.EndsWith("/portal/sign-in?returnUrl=%2Fportal%2Frequests", page.Url, StringComparison.Ordinal);
        Issuer.AsksToContinue = true;
        try
        {
            await page.GetByRole(AriaRole.Link, new() { Name = ProviderButton, Exact = true }).ClickAsync();
            Assert.StartsWith(Issuer.Authority + "/authorize?", page.Url, StringComparison.Ordinal);
        }
        finally
        {
            Issuer.AsksToContinue = false;
        }

        // From the issuer's own page: the session cookie (Strict) is not sent on this navigation, only on the portal's next.
        await page.GetByRole(AriaRole.Link, new() { Name = TestIdentityProvider.ContinueLink, Exact = true }).ClickAsync();
        await page.WaitForURLAsync(portal.Broker.BaseAddress + "portal/requests");

        Assert.True(await page.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true }).IsVisibleAsync(), await page.Locator("main").InnerTextAsync());
        Assert.Equal("Requests", await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).InnerTextAsync());
        Assert.Equal(world.Id("a"), await page.Locator("header.top strong").InnerTextAsync());
        var main = await page.Locator("main").InnerTextAsync();
        Assert.Contains(own, main, StringComparison.Ordinal);
        Assert.DoesNotContain(others, main, StringComparison.Ordinal);
        Assert.Equal(redeemed + 1, Issuer.Redeemed);

        // The access token is the session, in the one Strict cookie; the handler's trip cookies are gone.
        var cookies = await page.Context.CookiesAsync();
        var session = Assert.Single(cookies, c => c.Name == "broker-portal-token");
        Assert.Equal(SameSiteAttribute.Strict, session.SameSite);
        Assert.Equal("/portal", session.Path);
        Assert.True(session.HttpOnly);
        Assert.Equal(2, session.Value.Count(c => c == '.'));
        Assert.DoesNotContain(cookies, c => c.Name.StartsWith("broker-portal-oidc-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SignInPage_NamesTheProviderButtonInGerman()
    {
        var page = await portal.NewPageAsync("de-DE");
        await page.GotoAsync("/portal/sign-in");
        Assert.Equal(1, await page.GetByRole(AriaRole.Link, new() { Name = "Beim Identitätsanbieter anmelden", Exact = true }).CountAsync());
    }

    [Fact]
    public async Task TokenForUnknownTenant_IsRefused_NoSession()
    {
        await portal.CreateWorldAsync();
        Issuer.NextUser = [new Claim("broker_tenant", "unknown-" + Guid.NewGuid().ToString("N"))];
        var redeemed = Issuer.Redeemed;

        var page = await portal.NewPageAsync();
        await page.GotoAsync("/portal/sign-in");
        await page.GetByRole(AriaRole.Link, new() { Name = ProviderButton, Exact = true }).ClickAsync();
        await page.WaitForURLAsync(portal.Broker.BaseAddress + "portal/sign-in?check=true");

        Assert.Equal(redeemed + 1, Issuer.Redeemed);
        Assert.Equal("This token is not accepted.", await page.GetByRole(AriaRole.Alert).InnerTextAsync());
        Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true }).CountAsync());
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "broker-portal-token");
    }

    [Theory]
    [InlineData(TestIdentityProvider.Trick.NoChallenge, "PKCE verifier does not match the challenge")]
    [InlineData(TestIdentityProvider.Trick.OtherChallenge, "PKCE verifier does not match the challenge")]
    [InlineData(TestIdentityProvider.Trick.ReplayLastCode, "code already redeemed")]
    public async Task CodeTheIssuerDoesNotRedeem_ShowsFailedSignIn_NoSession(TestIdentityProvider.Trick trick, string refusal)
    {
        var world = await portal.CreateWorldAsync();
        Issuer.NextUser = [new Claim("broker_tenant", world.Id("a"))];
        if (trick == TestIdentityProvider.Trick.ReplayLastCode)
        {
            // A code redeemed once, by a sign-in that succeeded.
            var first = await portal.NewPageAsync();
            await first.GotoAsync("/portal/sign-in");
            await first.GetByRole(AriaRole.Link, new() { Name = ProviderButton, Exact = true }).ClickAsync();
            await first.WaitForURLAsync(portal.Broker.BaseAddress + "portal/catalogue");
        }

        var refusals = Issuer.Refusals.Count;
        Issuer.NextTrick = trick;
        var page = await portal.NewPageAsync();
        await page.GotoAsync("/portal/sign-in");
        var failed = page.WaitForResponseAsync(r => r.Url == portal.Broker.BaseAddress + "portal/sign-in?failed=true");
        await page.GetByRole(AriaRole.Link, new() { Name = ProviderButton, Exact = true }).ClickAsync();

        Assert.Equal(401, (await failed).Status);
        await page.WaitForURLAsync(portal.Broker.BaseAddress + "portal/sign-in?failed=true");
        Assert.Equal(refusals + 1, Issuer.Refusals.Count);
        Assert.Equal(refusal, Issuer.Refusals.Last());
        Assert.Equal("The identity provider did not sign you in. Try again, or sign in with a token.", await page.GetByRole(AriaRole.Alert).InnerTextAsync());
        Assert.Equal(1, await page.GetByRole(AriaRole.Link, new() { Name = ProviderButton, Exact = true }).CountAsync());
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "broker-portal-token");
    }
}

/// <summary>Without a client at an issuer the sign-in page is the token's alone.</summary>
[Collection(PortalCollection.Name)]
public sealed class PortalSignInWithoutIssuerTests(PortalFixture portal)
{
    [Fact]
    public async Task SignInPage_OffersNoProviderButton_AndItsStartIsNotFound()
    {
        var page = await portal.NewPageAsync();
        var response = await page.GotoAsync("/portal/sign-in");
        Assert.Equal(200, response!.Status);
        Assert.Equal(0, await page.GetByRole(AriaRole.Link, new() { Name = "Sign in with the identity provider" }).CountAsync());
        Assert.True(await page.GetByLabel("Token", new() { Exact = true }).IsVisibleAsync());
        Assert.Equal(404, (await page.GotoAsync("/portal/sign-in?handler=provider"))!.Status);
    }
}
