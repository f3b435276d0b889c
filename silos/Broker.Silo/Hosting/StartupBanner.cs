using Broker.Grains.Federation;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Broker.Silo.Hosting;

/// <summary>Tells the person who just started the broker where it is, how to try it, and what it does not keep.</summary>
public sealed class StartupBanner(
    IServer server,
    IHostApplicationLifetime lifetime,
    FederationRegistry federation,
    IOptions<BrokerOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.ShowBanner)
        {
            lifetime.ApplicationStarted.Register(Print);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Print()
    {
        var url = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "(unknown)";
        var view = federation.Current;
        var lines = new List<string>
        {
            "",
            $"Broker is running at {url}",
            $"  Portal         {url}/portal (sign in with a token)",
            $"  API reference  {url}/scalar/v1      OpenAPI  {url}/openapi/v1.json",
            $"  Dashboard      {url}/dashboard/     Health   {url}/health/ready",
            $"  Metrics        {url}/metrics (Prometheus text; the federation admin's token unless Broker:Metrics:AllowAnonymous)",
            $"  Federation     {options.Value.ResolvedFederationFile}: {view.Providers.Count} providers, {view.DataCenterOwners.Count} data centers, {view.Tenants.Count} tenants",
        };
        if (options.Value.ShowDemoTokens && options.Value.UsesDemoFederation)
        {
            lines.Add("  Tokens to try (Authorization: Bearer <token>):");
            foreach (var tenant in view.Document.Tenants.Where(t => t.Token is not null).Take(3))
            {
                lines.Add($"    tenant {tenant.Id} (home {tenant.HomeProvider}): {tenant.Token}");
            }

            foreach (var provider in view.Document.Providers.Where(p => p.Admins.Any(a => a.Token is not null)).Take(2))
            {
                lines.Add($"    admin of provider {provider.Id}: {provider.Admins.First(a => a.Token is not null).Token}");
            }

            if (view.Document.FederationAdmins.FirstOrDefault(a => a.Token is not null) is { } admin)
            {
                lines.Add($"    federation admin: {admin.Token}");
            }
        }

        if (options.Value.Storage == SiloStorage.Memory)
        {
            lines.Add("  NOTE: embedded mode with in-memory storage: nothing is durable; all state is lost when this process stops.");
        }

        Console.WriteLine(string.Join(Environment.NewLine, lines) + Environment.NewLine);
    }
}
