using System.CommandLine;

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

    private static Command Show()
    {
        var dataCenter = DataCenter();
        var command = new Command("show", "The drain now: moved, remaining, and what is stuck and why") { dataCenter };
        command.Action = new CliAction(async (session, parsed) =>
        {
            session.Show(await session.Client.GetDrainAsync(parsed.GetValue(dataCenter)!), Views.Drain);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Stop()
    {
        var dataCenter = DataCenter();
        var command = new Command("stop", "End the drain: the data center takes allocations again") { dataCenter };
        command.Action = new CliAction(async (session, parsed) =>
        {
            session.Show(await session.Client.StopDrainAsync(parsed.GetValue(dataCenter)!), Views.Drain);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Argument<string> DataCenter() => new("data-center") { Description = "The data center's id" };
}
