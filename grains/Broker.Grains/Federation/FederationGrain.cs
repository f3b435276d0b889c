using Broker.DataCenters;
using Broker.Federation;
using Microsoft.Extensions.Logging;

namespace Broker.Grains.Federation;

/// <summary>Owns the merged federation document; configures the data centers a change names.</summary>
public sealed partial class FederationGrain(
    [PersistentState("federation", StorageNames.Broker)] IPersistentState<FederationGrainState> state,
    FederationRegistry registry,
    ILogger<FederationGrain> logger) : Grain, IFederationGrain
{
    // Configuring thousands of data centers at once would flood the silo's queues; a few hundred at a time is plenty.
    private const int ConfigureBatchSize = 256;

    public async Task<long> UpsertAsync(FederationDocument change)
    {
        state.State.Document = FederationMerge.Upsert(state.State.Document, change);
        state.State.Version++;
        await state.WriteStateAsync();

        // This silo places the data center grains configured below: it must know their owners first.
        registry.Apply(new VersionedFederation(state.State.Version, state.State.Document));
        var registrations = change.Providers
            .SelectMany(p => p.DataCenters.Select(dc => new DataCenterRegistration(p.Id, p.Kind, dc)))
            .ToArray();
        foreach (var batch in registrations.Chunk(ConfigureBatchSize))
        {
            await Task.WhenAll(batch.Select(r => GrainFactory.GetGrain<IDataCenterGrain>(r.Definition.Id).ConfigureAsync(r)));
        }

        LogUpserted(change.Providers.Length, registrations.Length, change.Tenants.Length, state.State.Version);
        return state.State.Version;
    }

    public Task<VersionedFederation?> GetIfNewerAsync(long knownVersion) =>
        Task.FromResult(state.State.Version > knownVersion
            ? new VersionedFederation(state.State.Version, state.State.Document)
            : null);

    [LoggerMessage(Level = LogLevel.Information, Message = "Federation upserted: {Providers} providers, {DataCenters} data centers, {Tenants} tenants; now version {Version}")]
    private partial void LogUpserted(int providers, int dataCenters, int tenants, long version);
}

[GenerateSerializer, Alias("broker.federation-grain-state")]
public sealed class FederationGrainState
{
    [Id(0)] public FederationDocument Document { get; set; } = new();
    [Id(1)] public long Version { get; set; }
}
