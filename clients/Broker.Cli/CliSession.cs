using System.Text.Json;
using Broker.Client;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Broker.Cli;

/// <summary>One invocation's connection and output: the client, and whether to write tables for people or JSON for scripts.</summary>
public sealed class CliSession : IDisposable
{
    private static readonly JsonSerializerOptions Indented = new(BrokerJsonOptions.Default) { WriteIndented = true };
    private readonly ServiceProvider _services;
    private readonly TextWriter _out;

    public CliSession(Uri url, string? token, TimeSpan timeout, bool json, TextWriter output, bool interactive)
    {
        var services = new ServiceCollection();
        services.AddBrokerClient(options =>
        {
            options.BaseAddress = url;
            options.Token = token;
            options.TotalTimeout = timeout;
        });
        _services = services.BuildServiceProvider();
        Client = _services.GetRequiredService<BrokerClient>();
        Json = json;
        _out = output;
        Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Detect : InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        if (!interactive)
        {
            Console.Profile.Width = 200; // a pipe has no width; do not wrap tables at 80 columns
        }
    }

    public BrokerClient Client { get; }

    /// <summary>Write JSON (for scripts) rather than tables (for people).</summary>
    public bool Json { get; }

    /// <summary>The console for people; only used when <see cref="Json"/> is off.</summary>
    public IAnsiConsole Console { get; }

    /// <summary>Writes <paramref name="value"/> as JSON when asked to, otherwise renders it for people.</summary>
    public void Show<T>(T value, Action<IAnsiConsole, T> render)
    {
        if (Json)
        {
            _out.WriteLine(JsonSerializer.Serialize(value, Indented));
        }
        else
        {
            render(Console, value);
        }
    }

    public void Dispose() => _services.Dispose();
}
