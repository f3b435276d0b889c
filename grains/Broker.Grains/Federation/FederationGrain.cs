using Broker.Audit;
using Broker.DataCenters;
using Broker.Federation;
using Broker.Grains.Audit;
using Microsoft.Extensions.Logging;

namespace Broker.Grains.Federation;

/// <summary>
/// Owns the merged federation document — the one definition of every provider, data center and pool — validates
/// each change against it, and configures the data centers a change names. Each stored change carries its audit
/// event in the same write (<see cref="AuditOutbox"/>).
/// </summary>
public sealed partial class FederationGrain(
    [PersistentState("federation", StorageNames.Broker)] IPersistentState<FederationGrainState> state,
    FederationRegistry registry,
    ILogger<FederationGrain> logger) : Grain, IFederationGrain
{
    // Configuring thousands of data centers at once would flood the silo's queues; a few hundred at a time is plenty.
    private const int ConfigureBatchSize = 256;

    private AuditOutbox? _audit;

    private AuditOutbox Audit => _audit ??= new AuditOutbox(GrainFactory, logger, "the federation", () => state.State.AuditPending, pending => state.State.AuditPending = pending);

    public override Task OnActivateAsync(CancellationToken cancellationToken) => Audit.SendAsync();

    public async Task<FederationUpsertOutcome> UpsertAsync(FederationUpsert upsert)
    {
        var (change, by, fileSha256) = upsert;
        if (fileSha256 is not null && fileSha256 == state.State.AppliedFileSha256)
        {
            // The file this federation was last given: applying it again would only undo what the API changed since
            // (a pool resized), bump the version and write an audit entry at every silo start.
            return new FederationUpsertOutcome(state.State.Version, false, []);
        }

        if (FederationValidator.NullEntries(change) is { Count: > 0 } nulls)
        {
            return FederationUpsertOutcome.Invalid(state.State.Version, nulls);
        }

        // Validated here, against the stored document, not a silo's copy of it: the change is judged by what it changes.
        var merged = FederationMerge.Upsert(state.State.Document, change);
        var errors = FederationErrorPaths.InTermsOf(FederationValidator.Validate(merged), merged, change);
        if (errors.Count > 0)
        {
            return FederationUpsertOutcome.Invalid(state.State.Version, errors);
        }

        state.State.Document = merged;
        state.State.Version++;
        Audit.Add(AdminAuditEvents.FederationUpserted(state.State.Version, change, by));
        await StoreAsync();

        var registrations = change.Providers
            .SelectMany(p => p.DataCenters.Select(dc => RegistrationOf(p.Id, dc.Id)))
            .ToArray();
        foreach (var batch in registrations.Chunk(ConfigureBatchSize))
        {
            await Task.WhenAll(batch.Select(r => GrainFactory.Reference<IDataCenterGrain>(r.Definition.Id).ConfigureAsync(r)));
        }

        if (fileSha256 is not null)
        {
            // Only once every data center took its part: a start that failed half-way applies the file again.
            state.State.AppliedFileSha256 = fileSha256;
            await WriteAsync();
        }

        LogUpserted(change.Providers.Length, registrations.Length, change.Tenants.Length, state.State.Version);
        return new FederationUpsertOutcome(state.State.Version, true, []);
    }

    public async Task<PoolChangeResult> SetPoolAsync(string dataCenter, PoolChange change)
    {
        if (!state.State.Document.Providers.Any(p => p.DataCenters.Any(dc => dc.Id == dataCenter)))
        {
            return new PoolChangeResult(PoolChangeKind.UnknownDataCenter, null);
        }

        // The data center decides (only it knows what is in use) and records the change with its audit event; the
        // document then records what it accepted. Should this write fail, the data center has the new pool and the
        // document the old one until the admin sends the change again (the same change is accepted again).
        var result = await GrainFactory.Reference<IDataCenterGrain>(dataCenter).SetPoolAsync(change);
        if (result is { Kind: PoolChangeKind.Created or PoolChangeKind.Updated, Pool: { } pool })
        {
            state.State.Document = FederationMerge.WithPool(state.State.Document, dataCenter, DefinitionOf(pool));
            state.State.Version++;
            await StoreAsync();
            LogPoolRecorded(dataCenter, pool.Resource, state.State.Version);
        }

        return result;
    }

    /// <summary>Stores the state, sends its audit events, and lets this silo see the new version before anyone hears of it.</summary>
    private async Task StoreAsync()
    {
        await WriteAsync();
        await Audit.SendAsync();
        if (Audit.HasUnsavedAcknowledgements)
        {
            // Upserts are rare: the acknowledgement is written at once (never at deactivation, where a write could
            // race a new activation of this one grain while the cluster settles).
            await WriteAsync();
        }

        // This silo places the data center grains configured next: it must know their owners first.
        registry.Apply(new VersionedFederation(state.State.Version, state.State.Document));
    }

    /// <summary>A data center as the merged document defines it: a change naming some of its pools keeps the others.</summary>
    private DataCenterRegistration RegistrationOf(string providerId, string dataCenter)
    {
        var provider = state.State.Document.Providers.Single(p => p.Id == providerId);
        return new DataCenterRegistration(provider.Id, provider.Kind, provider.DataCenters.Single(dc => dc.Id == dataCenter));
    }

    private static PoolDefinition DefinitionOf(PoolSummary pool) => new()
    {
        Resource = pool.Resource,
        Total = pool.Total,
        Headroom = pool.Headroom,
        AllocationRatio = pool.AllocationRatio,
        MinUnit = pool.MinUnit,
        MaxUnit = pool.MaxUnit,
        Step = pool.Step,
        PricePerUnitHour = pool.PricePerUnitHour,
    };

    private async Task WriteAsync()
    {
        Audit.MarkSaved();
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // Another activation wrote meanwhile, or the write's fate is unknown: the next activation starts from storage.
            DeactivateOnIdle();
            throw;
        }
    }

    public async Task<VersionedFederation?> GetIfNewerAsync(long knownVersion)
    {
        // Every silo asks every few seconds: the retry of events the trail could not take (a no-op when none are pending).
        await Audit.SendAsync();
        return state.State.Version > knownVersion ? new VersionedFederation(state.State.Version, state.State.Document) : null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pool {Resource} of data center {DataCenter} recorded in the federation; now version {Version}")]
    private partial void LogPoolRecorded(string dataCenter, string resource, long version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Federation upserted: {Providers} providers, {DataCenters} data centers, {Tenants} tenants; now version {Version}")]
    private partial void LogUpserted(int providers, int dataCenters, int tenants, long version);
}

[GenerateSerializer, Alias("broker.federation-grain-state")]
public sealed class FederationGrainState
{
    [Id(0)] public FederationDocument Document { get; set; } = new();
    [Id(1)] public long Version { get; set; }
    [Id(2)] public AuditEvent[] AuditPending { get; set; } = [];
    /// <summary>The SHA-256 of the federation file's bytes as last applied; a silo starting with the same file applies nothing.</summary>
    [Id(3)] public string? AppliedFileSha256 { get; set; }
}
