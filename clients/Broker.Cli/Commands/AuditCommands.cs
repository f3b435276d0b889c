using System.CommandLine;
using System.Text.Json;
using Broker.Client;
using Broker.Contracts;

namespace Broker.Cli.Commands;

/// <summary>Reading the audit trail and checking that it holds.</summary>
public static class AuditCommands
{
    public static Command Audit()
    {
        var tenant = new Option<string?>("--tenant") { Description = "Only entries about this tenant's requests" };
        var provider = new Option<string?>("--provider") { Description = "Only entries concerning this provider" };
        var action = new Option<string?>("--action") { Description = "request.decided, request.renewed, request.released, request.expired, pool.changed or federation.upserted" };
        var subject = new Option<string?>("--subject") { Description = "Only entries about this request id, data-center/resource, or 'federation'" };
        var actor = new Option<string?>("--actor") { Description = "Only entries by this actor, e.g. tenant:hh-akademie, provider-admin:dataport, broker" };
        var from = new Option<DateTimeOffset?>("--from") { Description = "Recorded at or after this time (ISO 8601)" };
        var to = new Option<DateTimeOffset?>("--to") { Description = "Recorded before this time (ISO 8601)" };
        var limit = new Option<int?>("--limit") { Description = "At most this many entries (1 to 1000, default 100)" };
        var after = new Option<string?>("--after") { Description = "The cursor printed under the previous page" };
        var command = new Command("audit", "The audit trail, newest first: decisions, renewals, releases, expiries and admin changes")
        {
            tenant, provider, action, subject, actor, from, to, limit, after,
        };
        command.Action = new CliAction(async (session, parsed) =>
        {
            var filter = new AuditFilter(parsed.GetValue(tenant), parsed.GetValue(provider), parsed.GetValue(action), parsed.GetValue(subject),
                parsed.GetValue(actor), parsed.GetValue(from), parsed.GetValue(to));
            session.Show(await session.Client.ListAuditAsync(filter, parsed.GetValue(limit), parsed.GetValue(after)), Views.Audit);
            return ExitCodes.Ok;
        });
        command.Subcommands.Add(Verify());
        return command;
    }

    private static Command Verify()
    {
        var anchors = new Option<FileInfo?>("--anchors")
        {
            Description = "The output of an earlier 'broker audit verify --json': its chains' last hashes must still be in the trail",
        };
        var command = new Command("verify", "Check every hash chain of the audit trail as stored (federation admin); exits 6 if one does not hold") { anchors };
        command.Action = new CliAction(async (session, parsed) =>
        {
            var earlier = parsed.GetValue(anchors) is { } file ? await ReadAnchorsAsync(file) : [];
            var verification = await session.Client.VerifyAuditAsync(earlier);
            session.Show(verification, Views.AuditVerification);
            return verification.Valid ? ExitCodes.Ok : ExitCodes.AuditBroken;
        });
        return command;
    }

    private static async Task<AuditAnchor[]> ReadAnchorsAsync(FileInfo file)
    {
        try
        {
            await using var stream = file.OpenRead();
            var earlier = await JsonSerializer.DeserializeAsync<AuditVerificationResource>(stream, BrokerJsonOptions.Default);
            return earlier?.Chains is null ? throw new CliUsageException($"--anchors: {file.FullName} holds no verification") : earlier.Anchors().ToArray();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new CliUsageException($"--anchors: {file.FullName} is not the JSON of an earlier 'broker audit verify --json': {e.Message}");
        }
    }
}
