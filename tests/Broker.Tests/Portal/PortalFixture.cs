using System.Text.Json;
using Microsoft.Playwright;

namespace Broker.Tests.Portal;

/// <summary>
/// A broker of its own and a real browser — Debian's Chromium driven by Playwright, with JavaScript switched off (but for
/// running axe-core), as the portal must work without it — shared by the portal tests. <c>tests/portal-tools/install.sh</c> installs Chromium and
/// axe-core first (it does nothing when they are there).
/// </summary>
public class PortalFixture : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public BrokerFixture Broker { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>axe-core's script, evaluated into a page by <see cref="Axe"/>.</summary>
    public string AxeSource { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var tools = Path.Combine(RepoPaths.Root, "tests", "portal-tools");
        var (exitCode, output) = await Shell.ExecAsync(null, TimeSpan.FromMinutes(15), "bash", Path.Combine(tools, "install.sh"));
        Assert.True(exitCode == 0, $"tests/portal-tools/install.sh failed ({exitCode}): {output}");
        AxeSource = await File.ReadAllTextAsync(Path.Combine(tools, "node_modules", "axe-core", "axe.min.js"));
        Broker = new() { ExtraSettings = await BrokerSettingsAsync() };
        await Broker.InitializeAsync();
        _playwright = await Playwright.CreateAsync();
        // As root (CI) Chromium refuses to start with its sandbox; the pages it opens are the broker's own on loopback.
        Browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"], Timeout = 60_000 });
    }

    /// <summary>Settings for a broker of its own, made once what they name (an issuer, say) has started.</summary>
    protected virtual Task<string[]> BrokerSettingsAsync() => Task.FromResult<string[]>([]);

    public virtual async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (Broker is not null)
        {
            await Broker.DisposeAsync();
        }
    }

    /// <summary>
    /// A fresh browser context (no cookies) on the broker, asking for <paramref name="locale"/>, without JavaScript unless
    /// <paramref name="javaScript"/>: axe-core needs it for itself (its timers do not run in a page without script), while
    /// the portal's pages have none to run (their policy forbids any).
    /// </summary>
    public async Task<IPage> NewPageAsync(string locale = "en-US", bool javaScript = false)
    {
        var context = await Browser.NewContextAsync(new()
        {
            BaseURL = Broker.BaseAddress.ToString(),
            JavaScriptEnabled = javaScript,
            Locale = locale,
            ViewportSize = new() { Width = 1280, Height = 900 },
        });
        // Generous for a machine shared with other work; a page of the portal takes milliseconds when the machine is idle.
        context.SetDefaultTimeout(60_000);
        return await context.NewPageAsync();
    }

    /// <summary>Signs in at the sign-in page with <paramref name="token"/>, as a person would: the Token field and the Sign in button.</summary>
    public static async Task SignInAsync(IPage page, string token, string signIn = "Sign in", string signOut = "Sign out")
    {
        await page.GotoAsync("/portal/sign-in");
        await page.GetByLabel("Token", new() { Exact = true }).FillAsync(token);
        await page.GetByRole(AriaRole.Button, new() { Name = signIn, Exact = true }).ClickAsync();
        Assert.True(await page.GetByRole(AriaRole.Button, new() { Name = signOut, Exact = true }).IsVisibleAsync(), $"not signed in; the page at {page.Url} says: {await page.Locator("main").InnerTextAsync()}");
    }

    /// <summary>The world the portal tests share the shape of: two members, a partner under contract, two tenants at home at "home".</summary>
    public Task<World> CreateWorldAsync() => Broker.CreateWorldAsync(w =>
    {
        var partner = w.Partner("partner", "DE").DataCenter("pdc", "DE-HE", ProtectionLevel.High, 0.3, Pool("storage.ssd", 1_000_000, 0.00009m));
        var home = w.Member("home", "DE-HH")
            .DataCenter("dc", "DE-HH", ProtectionLevel.High, 0.8, Pool("storage.ssd", 10_000, 0.0001m), Pool("compute.vcpu", 200, 0.012m))
            .Contract(partner, "storage.ssd", 500_000, 0.0001m);
        w.Member("other", "DE-BY").DataCenter("odc", "DE-BY", ProtectionLevel.VeryHigh, 0.6, Pool("storage.ssd", 50_000, 0.00011m), Pool("compute.vcpu", 400, 0.011m));
        w.Tenant("a", home);
        w.Tenant("b", home);
    });
}

[CollectionDefinition(Name)]
public sealed class PortalCollection : ICollectionFixture<PortalFixture>
{
    public const string Name = "portal";
}

/// <summary>axe-core run in a page: the violations it finds, by impact.</summary>
public static class Axe
{
    public sealed record Violation(string Rule, string Impact, int Nodes, string Help, string Targets);

    public static async Task<IReadOnlyList<Violation>> RunAsync(IPage page, string axeSource)
    {
        await page.EvaluateAsync(axeSource);
        var json = await page.EvaluateAsync<string>(
            "async () => JSON.stringify((await axe.run(document, { resultTypes: ['violations'] })).violations.map(v => ({ rule: v.id, impact: v.impact || '', nodes: v.nodes.length, help: v.help, targets: v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ') })))");
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateArray()
            .Select(v => new Violation(v.GetProperty("rule").GetString()!, v.GetProperty("impact").GetString()!, v.GetProperty("nodes").GetInt32(), v.GetProperty("help").GetString()!, v.GetProperty("targets").GetString()!))
            .ToList();
    }

    public static bool IsSeriousOrCritical(this Violation violation) => violation.Impact is "serious" or "critical";
}
