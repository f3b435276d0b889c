using System.CommandLine;
using Broker.Cli.Commands;
using Broker.Client;

namespace Broker.Cli;

/// <summary>
/// The <c>broker</c> command: global options, the commands, and the one place where failures become
/// messages on stderr and exit codes (<see cref="ExitCodes"/>).
/// </summary>
public static class BrokerCli
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    public static readonly Option<string?> Url = new("--url")
    {
        Description = $"The broker's address [env: BROKER_URL; default: {DefaultUrl}]",
        Recursive = true,
    };

    public static readonly Option<string?> Token = new("--token")
    {
        Description = "Your bearer token [env: BROKER_TOKEN]",
        Recursive = true,
    };

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Write JSON for scripts instead of tables",
        Recursive = true,
    };

    public static readonly Option<int> TimeoutSeconds = new("--timeout")
    {
        Description = "Seconds to wait for the broker, retries included",
        DefaultValueFactory = _ => 60,
        Recursive = true,
    };

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, Func<string, string?> environment, bool interactive = false)
    {
        var root = new RootCommand("Ask the federation for storage and compute, look at it, give it back.")
        {
            Options = { Url, Token, Json, TimeoutSeconds },
        };
        Command[] commands =
        [
            RequestCommands.Request(), RequestCommands.Show(), RequestCommands.List(), RequestCommands.Release(), RequestCommands.Renew(),
            FederationCommands.Catalog(), FederationCommands.Capacity(), FederationCommands.Bill(), AuditCommands.Audit(), DrainCommands.Drain(),
        ];
        foreach (var command in commands)
        {
            root.Subcommands.Add(command);
        }

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0 || parsed.Action is not CliAction)
        {
            // Help, version and parse errors: System.CommandLine writes them (and answers 1 for errors).
            return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        }

        var url = parsed.GetValue(Url) ?? environment("BROKER_URL") ?? DefaultUrl;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var baseAddress) || baseAddress.Scheme is not ("http" or "https"))
        {
            await error.WriteLineAsync($"error: --url / BROKER_URL must be an http(s) URL, not '{url}'");
            return ExitCodes.Usage;
        }

        var timeout = parsed.GetValue(TimeoutSeconds);
        if (timeout is < 1 or > 3600)
        {
            await error.WriteLineAsync("error: --timeout must be 1 to 3600 seconds");
            return ExitCodes.Usage;
        }

        using var session = new CliSession(baseAddress, parsed.GetValue(Token) ?? environment("BROKER_TOKEN"), TimeSpan.FromSeconds(timeout), parsed.GetValue(Json), output, interactive);
        try
        {
            return await ((CliAction)parsed.Action).RunAsync(session, parsed);
        }
        catch (BrokerProblemException e)
        {
            await error.WriteLineAsync($"error: {e.Message}{Hint(e.Problem.Code)}");
            return ExitCodes.ClientError;
        }
        catch (BrokerUnavailableException e)
        {
            await error.WriteLineAsync($"error: the broker at {baseAddress} is unavailable: {e.Message}");
            return ExitCodes.Unavailable;
        }
        catch (TimeoutException e)
        {
            await error.WriteLineAsync($"pending: {e.Message}");
            return ExitCodes.Pending;
        }
        catch (CliUsageException e)
        {
            await error.WriteLineAsync($"error: {e.Message}");
            return ExitCodes.Usage;
        }
    }

    private static string Hint(string code) => code switch
    {
        "unauthenticated" => " (pass --token or set BROKER_TOKEN)",
        "forbidden" => " (this token may not do that)",
        _ => "",
    };
}
