using System.CommandLine;
using Broker.Client;
using Broker.Contracts;

namespace Broker.Cli.Commands;

/// <summary>A provider's admin empties a data center for maintenance: start the drain, watch it, end it.</summary>
public static class DrainCommands
{
    public static Command Drain()
    {
        var command = new Command("drain", "Drain a data center for maintenance: it takes nothing new, its allocations move elsewhere make-before-break");
        command.Subcommands.Add(Start());
        command.Subcommands.Add(Show());
        command.Subcommands.Add(Stop());
        return command;
    }

    private static Command Start()
    {
        var dataCenter = DataCenter();
        var reason = new Option<string?>("--reason") { Description = "Why (maintenance, a move, …): shown with the drain and in the audit trail" };
        var command = new Command("start", "Start draining; starting a running drain shows it") { dataCenter, reason };
        command.Action = new CliAction(async (session, parsed) =>
        {
            session.Show(await session.Client.StartDrainAsync(parsed.GetValue(dataCenter)!, parsed.GetValue(reason)), Views.Drain);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Show() =>
        Call("show", "The drain now: moved, remaining, and what is stuck and why", (client, dataCenter) => client.GetDrainAsync(dataCenter));

    private static Command Stop() =>
        Call("stop", "End the drain: the data center takes allocations again", (client, dataCenter) => client.StopDrainAsync(dataCenter));

    /// <summary>A subcommand that takes only the data center and shows the drain the call answers with.</summary>
    private static Command Call(string name, string description, Func<BrokerClient, string, Task<DrainResource>> call)
    {
        var dataCenter = DataCenter();
        var command = new Command(name, description) { dataCenter };
        command.Action = new CliAction(async (session, parsed) =>
        {
            session.Show(await call(session.Client, parsed.GetValue(dataCenter)!), Views.Drain);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Argument<string> DataCenter() => new("data-center") { Description = "The data center's id" };
}
