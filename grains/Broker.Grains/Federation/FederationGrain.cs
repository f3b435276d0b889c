using Broker.Audit;
using Broker.DataCenters;
using Broker.Federation;
using Broker.Grains.Audit;
using Microsoft.Extensions.Logging;

namespace Broker.Grains.Federation;

/// <summary>
/// Owns the merged federation document; configures the data centers a change names. Each stored change carries
/// its audit event in the same write (<see cref="AuditOutbox"/>).
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

    public async Task<long> UpsertAsync(FederationDocument change, AuditActor by)
    {
        state.State.Document = FederationMerge.Upsert(state.State.Document, change);
        state.State.Version++;
        Audit.Add(AdminAuditEvents.FederationUpserted(state.State.Version, change, by));
        await WriteAsync();
        await Audit.SendAsync();
        if (Audit.HasUnsavedAcknowledgements)
        {
            // Upserts are rare: the acknowledgement is written at once (never at deactivation, where a write could
            // race a new activation of this one grain while the cluster settles).
            await WriteAsync();
        }

        // This silo places the data center grains configured below: it must know their owners first.
        registry.Apply(new VersionedFederation(state.State.Version, state.State.Document));
        var registrations = change.Providers
            .SelectMany(p => p.DataCenters.Select(dc => new DataCenterRegistration(p.Id, p.Kind, dc)))
            .ToArray();
        foreach (var batch in registrations.Chunk(ConfigureBatchSize))
        {
            await Task.WhenAll(batch.Select(r => GrainFactory.Reference<IDataCenterGrain>(r.Definition.Id).ConfigureAsync(r)));
        }

        LogUpserted(change.Providers.Length, registrations.Length, change.Tenants.Length, state.State.Version);
        return state.State.Version;
    }

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

    [LoggerMessage(Level = LogLevel.Information, Message = "Federation upserted: {Providers} providers, {DataCenters} data centers, {Tenants} tenants; now version {Version}")]
    private partial void LogUpserted(int providers, int dataCenters, int tenants, long version);
}

[GenerateSerializer, Alias("broker.federation-grain-state")]
public sealed class FederationGrainState
{
    [Id(0)] public FederationDocument Document { get; set; } = new();
    [Id(1)] public long Version { get; set; }
    [Id(2)] public AuditEvent[] AuditPending { get; set; } = [];
}
