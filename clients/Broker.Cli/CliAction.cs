using System.CommandLine;
using System.CommandLine.Invocation;

namespace Broker.Cli;

/// <summary>
/// A command's work, given the session. <see cref="BrokerCli"/> runs it itself, so that every command shares
/// one client, one output and one mapping of failures to exit codes.
/// </summary>
public sealed class CliAction(Func<CliSession, ParseResult, Task<int>> run) : AsynchronousCommandLineAction
{
    public Task<int> RunAsync(CliSession session, ParseResult parsed) => run(session, parsed);

    /// <summary>Only reached if something invokes the command outside <see cref="BrokerCli"/>.</summary>
    public override Task<int> InvokeAsync(ParseResult parseResult, CancellationToken cancellationToken = default) =>
        throw new InvalidOperationException("broker commands run through BrokerCli.RunAsync");
}

/// <summary>A command line that parsed but makes no sense (an item without an amount, say).</summary>
public sealed class CliUsageException(string message) : Exception(message);
