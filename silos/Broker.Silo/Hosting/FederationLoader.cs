using System.Security.Cryptography;
using System.Text.Json;
using Broker.Audit;
using Broker.Contracts;
using Broker.Federation;
using Broker.Grains.Federation;
using Broker.Silo.Api;
using Broker.Silo.Json;
using Microsoft.Extensions.Options;

namespace Broker.Silo.Hosting;

/// <summary>
/// Loads the federation file when the silo has joined the cluster and upserts it — only when its bytes differ from
/// the file applied last, so that a restart never undoes what the API changed since (a pool resized). Every silo
/// loads the same file, and allocations are kept whatever the file says. A bad file stops the start.
/// </summary>
public sealed partial class FederationLoader(
    FederationUpserter upserter,
    IOptions<BrokerOptions> options,
    ILogger<FederationLoader> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var path = options.Value.ResolvedFederationFile;
        var bytes = await ReadBytesAsync(path, cancellationToken);
        var document = Parse(bytes, path);
        FederationUpsertOutcome outcome;
        try
        {
            outcome = await UpsertAsync(document, Convert.ToHexStringLower(SHA256.HashData(bytes)), path);
        }
        catch (FederationNotSeenException notSeen)
        {
            // Stored, but other silos are still settling: this silo serves and catches up by itself.
            LogNotSeenYet(notSeen.Message);
            return;
        }

        if (outcome.Errors.Count > 0)
        {
            var problems = string.Join("; ", outcome.Errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}"));
            throw new InvalidOperationException($"The federation file {path} is invalid: {problems}");
        }

        if (outcome.Applied)
        {
            LogLoaded(path, document.Providers.Length, document.Providers.Sum(p => p.DataCenters.Length), document.Tenants.Length, outcome.Version);
        }
        else
        {
            LogUnchanged(path, outcome.Version);
        }

        var plain = TokenHash.PlainTokensIn(document);
        if (plain > 0)
        {
            // Never the tokens themselves: only how many, and what to do.
            LogPlainTokens(path, plain, options.Value.UsesDemoFederation ? "the demo federation's, for trying the broker out only" : "replace each 'token' with 'tokenSha256' (printf %s TOKEN | sha256sum)");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// The upsert, tried again when the federation grain's write met another writer (a duplicate activation while a
    /// restarted silo joins): the grain steps down, the next attempt reaches a fresh one, and the upsert is idempotent.
    /// </summary>
    private async Task<FederationUpsertOutcome> UpsertAsync(FederationDocument document, string fileSha256, string path)
    {
        const int Attempts = 3;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await upserter.UpsertFileAsync(document, fileSha256, AuditActor.Broker with { Credential = "file:" + path });
            }
            catch (Orleans.Storage.InconsistentStateException conflict) when (attempt < Attempts)
            {
                LogUpsertConflict(attempt, conflict.Message);
            }
        }
    }

    public static async Task<FederationDocument> ReadAsync(string path, CancellationToken cancellationToken) =>
        Parse(await ReadBytesAsync(path, cancellationToken), path);

    private static async Task<byte[]> ReadBytesAsync(string path, CancellationToken cancellationToken) =>
        File.Exists(path)
            ? await File.ReadAllBytesAsync(path, cancellationToken)
            : throw new FileNotFoundException($"The federation file {path} does not exist (set Broker:FederationFile).", path);

    private static FederationDocument Parse(byte[] bytes, string path)
    {
        try
        {
            var file = JsonSerializer.Deserialize<FederationFile>(bytes, BrokerJson.Options)
                ?? throw new InvalidOperationException($"The federation file {path} is empty.");
            return file.ToDocument();
        }
        catch (JsonException error)
        {
            throw new InvalidOperationException($"The federation file {path} is not valid at {error.Path}: {error.Message}", error);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The federation file {Path} holds {Count} plain tokens: {Advice}")]
    private partial void LogPlainTokens(string path, int count, string advice);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Loading the federation file met another writer (attempt {Attempt}), trying again: {Detail}")]
    private partial void LogUpsertConflict(int attempt, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The federation file was stored, but this silo does not see all of it yet: {Detail}")]
    private partial void LogNotSeenYet(string detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "The federation file {Path} is the one applied last: nothing to apply (federation version {Version})")]
    private partial void LogUnchanged(string path, long version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded federation file {Path}: {Providers} providers, {DataCenters} data centers, {Tenants} tenants (federation version {Version})")]
    private partial void LogLoaded(string path, int providers, int dataCenters, int tenants, long version);
}
