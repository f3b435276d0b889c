using System.CommandLine;

namespace Broker.Cli.Commands;

/// <summary>What the federation offers and holds, and what it costs.</summary>
public static class FederationCommands
{
    public static Command Catalog()
    {
        var resource = new Option<string?>("--resource") { Description = "Only this resource class" };
        var command = new Command("catalog", "Who offers which resource class, where, at what price, with how much free now") { resource };
        command.Action = new CliAction(async (session, parsed) =>
        {
            var catalog = await session.Client.GetCatalogAsync();
            if (parsed.GetValue(resource) is { } only)
            {
                catalog = catalog with { Resources = catalog.Resources.Where(r => r.Resource == only).ToArray() };
            }

            session.Show(catalog, Views.Catalog);
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Capacity()
    {
        var provider = new Option<string?>("--provider") { Description = "Only this provider" };
        var command = new Command("capacity", "Capacity per provider, data center and pool: total, allocated, held, free") { provider };
        command.Action = new CliAction(async (session, parsed) =>
        {
            var capacity = await session.Client.GetCapacityAsync();
            if (parsed.GetValue(provider) is { } only)
            {
                capacity = capacity with { Providers = capacity.Providers.Where(p => p.Provider == only).ToArray() };
            }

            session.Show(capacity, Views.Capacity);
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Bill()
    {
        var tenant = new Option<string?>("--tenant") { Description = "A tenant's bill, per request" };
        var provider = new Option<string?>("--provider") { Description = "A provider's statement, per counterparty" };
        var period = new Option<string?>("--period") { Description = "The month, yyyy-MM (default: this month)" };
        var command = new Command("bill", "A tenant's bill or a provider's statement for a month") { tenant, provider, period };
        command.Validators.Add(result =>
        {
            if ((result.GetValue(tenant) is null) == (result.GetValue(provider) is null))
            {
                result.AddError("name exactly one of --tenant or --provider");
            }
        });
        command.Action = new CliAction(async (session, parsed) =>
        {
            if (parsed.GetValue(tenant) is { } id)
            {
                session.Show(await session.Client.GetTenantBillAsync(id, parsed.GetValue(period)), Views.TenantBill);
            }
            else
            {
                session.Show(await session.Client.GetProviderStatementAsync(parsed.GetValue(provider)!, parsed.GetValue(period)), Views.Statement);
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
