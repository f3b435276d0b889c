using System.Net.Http.Headers;
using System.Text.Json;
using Broker.Grains;
using Broker.Silo.Hosting;
using Broker.Silo.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Broker.Tests.Infrastructure;

/// <summary>
/// One real broker per test collection: an in-process Orleans silo serving the v1 API on a real Kestrel
/// port on loopback, with the broker's clock replaced by a <see cref="FakeTimeProvider"/>. Tests add
/// their own isolated worlds through the admin API, so they never share capacity.
/// </summary>
public sealed class BrokerFixture : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "broker-tests-" + Guid.NewGuid().ToString("N"));
    private WebApplication? _app;

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 2, 8, 0, 0, TimeSpan.Zero));

    public string FederationAdminToken { get; } = "fed-" + Guid.NewGuid().ToString("N");

    public Uri BaseAddress { get; private set; } = null!;

    public IGrainFactory Grains => _app!.Services.GetRequiredService<IGrainFactory>();

    public IServiceProvider Services => _app!.Services;

    /// <summary>Settings for a broker of its own (<c>--Broker:RateLimit:Burst=2</c>, …), set before <see cref="InitializeAsync"/>.</summary>
    public string[] ExtraSettings { get; init; } = [];

    /// <summary>Services of a broker of its own (a fault-injecting grain call filter, say), added before <see cref="InitializeAsync"/>.</summary>
    public Action<IServiceCollection>? ExtraServices { get; init; }

    public async Task InitializeAsync()
    {
        System.IO.Directory.CreateDirectory(_directory);
        var file = Path.Combine(_directory, "federation.json");
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(new { federationAdmins = new[] { new { token = FederationAdminToken } } }));
        var ports = FreePorts.Take(3);
        BaseAddress = new Uri($"http://127.0.0.1:{ports[0]}");
        _app = BrokerApp.Create(
            [
                "--urls", BaseAddress.ToString().TrimEnd('/'),
                "--Broker:FederationFile", file,
                "--Broker:SiloPort", ports[1].ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--Broker:GatewayPort", ports[2].ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--Broker:ShowDemoTokens", "false",
                "--Logging:LogLevel:Default", "Warning",
                "--Logging:LogLevel:Orleans", "Error",
                // Tests of other behaviour fire thousands of calls from a few tenants at once: no rate limit in their way.
                "--Broker:RateLimit:Burst", "1000000",
                "--Broker:RateLimit:PermitsPerSecond", "1000000",
                "--Broker:Negotiation:MaxInFlightPerTenant", "1000000",
                .. ExtraSettings,
            ],
            builder =>
            {
                builder.Services.AddKeyedSingleton<TimeProvider>(BrokerTime.Key, Clock);
                ExtraServices?.Invoke(builder.Services);
            });
        await _app.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        System.IO.Directory.Delete(_directory, recursive: true);
    }

    /// <summary>An HTTP client for the broker, carrying <paramref name="token"/> if given.</summary>
    public HttpClient Client(string? token = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(120) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    /// <summary>Registers a fresh world (providers, data centers, tenants with unique ids and resource classes) through the admin API.</summary>
    public async Task<World> CreateWorldAsync(Action<WorldBuilder> build)
    {
        var builder = new WorldBuilder();
        build(builder);
        var document = builder.ToDocument();
        using var admin = Client(FederationAdminToken);
        using var response = await admin.PutAsync("/v1/federation", Json.Content(document));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"world upsert answered {(int)response.StatusCode}: {text}");
        return new World(this, builder);
    }
}

[CollectionDefinition(Name)]
public sealed class BrokerCollection : ICollectionFixture<BrokerFixture>
{
    public const string Name = "broker";
}

/// <summary>JSON in the broker's dialect, for bodies and answers.</summary>
public static class Json
{
    public static StringContent Content(object body) =>
        new(JsonSerializer.Serialize(body, BrokerJson.Options), System.Text.Encoding.UTF8, "application/json");

    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }
}
