using Broker.Domain;
using Broker.Tenants;
using Orleans.Concurrency;

namespace Broker.Grains.Tenants;

/// <summary>One shard of a tenant's index of its requests (<see cref="TenantIndex"/>).</summary>
[Reentrant]
public sealed class TenantGrain(
    [PersistentState("tenant", StorageNames.Broker)] IPersistentState<TenantGrainState> state) : Grain, ITenantGrain
{
    private GroupCommit? _commit;

    private Dictionary<string, TrackedRequest>? _requests;

    private GroupCommit Commit => _commit ??= GroupCommit.OfSnapshots(state, () => new TenantGrainState { Requests = new Dictionary<string, TrackedRequest>(Requests) });

    private Dictionary<string, TrackedRequest> Requests => _requests ??= new Dictionary<string, TrackedRequest>(state.State.Requests);

    public async Task TrackAsync(TrackedRequest request)
    {
        if (Requests.TryGetValue(request.Id, out var known) && known == request)
        {
            return;
        }

        Requests[request.Id] = request;
        await Commit.CommitAsync();
    }

    public Task<TrackedRequest[]> ListAsync(RequestState? filter, int limit, string? after)
    {
        var matching = Requests.Values.Where(r => filter is null || r.State == filter);
        if (after is not null && RequestCursor.TryParse(after, out var position))
        {
            matching = matching.Where(r => RequestCursor.IsAfter(r, position));
        }

        return Task.FromResult(RequestCursor.NewestFirst(matching).Take(limit).ToArray());
    }
}

[GenerateSerializer, Alias("broker.tenant-grain-state")]
public sealed class TenantGrainState
{
    [Id(0)] public Dictionary<string, TrackedRequest> Requests { get; set; } = [];
}
