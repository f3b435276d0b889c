using Orleans.Concurrency;
using Broker.Domain;
using Broker.Tenants;

namespace Broker.Grains.Tenants;

/// <summary>A tenant's index of its requests, newest first.</summary>
[Reentrant]
public sealed class TenantGrain(
    [PersistentState("tenant", StorageNames.Broker)] IPersistentState<TenantGrainState> state) : Grain, ITenantGrain
{
    private GroupCommit? _commit;

    private GroupCommit Commit => _commit ??= new GroupCommit(() => state.WriteStateAsync());

    public async Task TrackAsync(TrackedRequest request)
    {
        if (state.State.Requests.TryGetValue(request.Id, out var known) && known == request)
        {
            return;
        }

        state.State.Requests[request.Id] = request;
        await Commit.CommitAsync();
    }

    public Task<RequestPage> ListAsync(RequestState? filter, int limit, string? after)
    {
        var matching = state.State.Requests.Values.Where(r => filter is null || r.State == filter);
        if (after is not null && RequestCursor.TryParse(after, out var position))
        {
            matching = matching.Where(r => RequestCursor.IsAfter(r, position));
        }

        var ordered = matching
            .OrderByDescending(r => r.CreatedAt.UtcTicks)
            .ThenByDescending(r => r.Id, StringComparer.Ordinal)
            .Take(limit + 1)
            .ToList();
        var page = ordered.Take(limit).ToList();
        var next = ordered.Count > limit ? RequestCursor.Of(page[^1]) : null;
        return Task.FromResult(new RequestPage(page.Select(r => r.Id).ToArray(), next));
    }
}

[GenerateSerializer, Alias("broker.tenant-grain-state")]
public sealed class TenantGrainState
{
    [Id(0)] public Dictionary<string, TrackedRequest> Requests { get; set; } = [];
}
