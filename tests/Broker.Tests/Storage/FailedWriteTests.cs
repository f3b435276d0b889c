using Broker.DataCenters;
using Broker.Grains.DataCenters;
using Broker.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Broker.Tests.Storage;

/// <summary>
/// A CI fault run found a data center holding two allocations fewer than the requests that reported them, after a
/// database outage: a write of the data center had failed, and the same activation, still busy, went on answering from a
/// memory that storage did not have. After a failed write an activation answers nothing more — neither calls that were
/// waiting for the next write nor calls that arrive later — and the next activation starts from what is stored.
/// A broker of its own whose row store holds a chosen commit until the test fails it. (Requests, quotas and contracts
/// are guarded alike; their grains are not reentrant, and Orleans hands calls queued behind a failed one to the next
/// activation, so a data center — reentrant, busy — is where the difference shows.)
/// </summary>
public sealed class FailedWriteTests : IAsyncLifetime
{
    private readonly HeldCommitStore _store = new(new MemoryRowStore());
    private readonly ConfirmsReachingTheirWrite _confirms = new();
    private readonly BrokerFixture _broker;

    public FailedWriteTests() => _broker = new BrokerFixture
    {
        ExtraServices = services =>
        {
            services.AddSingleton<IRowStore>(_store);
            services.AddSingleton<IIncomingGrainCallFilter>(_confirms);
        },
    };

    public Task InitializeAsync() => _broker.InitializeAsync();

    public Task DisposeAsync() => _broker.DisposeAsync();

    [Fact]
    public async Task DataCenter_WriteFails_AConfirmWaitingForTheNextWriteFailsToo_NothingAllocatedThatIsNotStored()
    {
        var world = await OneDataCenterAsync();
        var dataCenter = world.Id("dc");
        var grain = _broker.Grains.GetGrain<IDataCenterGrain>(dataCenter);
        var requestId = "r-" + Guid.NewGuid().ToString("N");
        var attempt = Guid.NewGuid();
        var offer = await grain.OfferAsync(new HoldRequest { RequestId = requestId, Items = [new(world.Resource("storage.ssd"), 60)], Attempt = attempt });
        var holdId = offer.Offer!.HoldId;
        var lease = _broker.Clock.GetUtcNow().AddDays(1);

        // The confirm's write hangs on the database; the same negotiation's confirm comes again meanwhile (a retry, or the
        // request's next activation recovering from its intent log) and waits for the next write.
        var held = _store.HoldNextCommitOf(DataCenterRows.HeadTable, dataCenter);
        var first = grain.ConfirmAsync(holdId, requestId, attempt, lease);
        await held;
        var retryWaiting = _confirms.NextReachingItsWrite();
        var retry = grain.ConfirmAsync(holdId, requestId, attempt, lease);
        await retryWaiting;
        _store.FailHeldCommit();

        await Assert.ThrowsAsync<TimeoutException>(() => first);
        var retryAnswer = await Record.ExceptionAsync(() => retry);
        Assert.IsType<TimeoutException>(retryAnswer); // not "confirmed": the allocation it would confirm was never stored

        // The next activation starts from storage: nothing allocated, no row, and the capacity is all there.
        var pool = await Eventually.ReturnsAsync(
            async () =>
            {
                try
                {
                    return await world.PoolAsync("dc", "storage.ssd");
                }
                catch (TimeoutException)
                {
                    return null; // the failed activation, before it is gone
                }
            },
            p => p is not null,
            "the data center answers again");
        Assert.Equal((0L, 0L), (pool!.Allocated, pool.Held));
        Assert.Null(await _store.ReadAsync(new RowKey(DataCenterRows.AllocationTable, dataCenter, requestId)));
    }

    private Task<World> OneDataCenterAsync() => _broker.CreateWorldAsync(w =>
    {
        var home = w.Member("home", "DE-HH").DataCenter("dc", "DE-HH", ProtectionLevel.Normal, Pool("storage.ssd", 100, 0.0001m));
        w.Tenant("t", home);
    });

    /// <summary>
    /// Tells when a data center's confirm has made its change and waits for its write: the grain method runs up to its
    /// first await within <c>Invoke</c>, so once that returns the call is parked on the group commit.
    /// </summary>
    private sealed class ConfirmsReachingTheirWrite : IIncomingGrainCallFilter
    {
        private TaskCompletionSource? _next;

        public Task NextReachingItsWrite() => (_next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

        public async Task Invoke(IIncomingGrainCallContext context)
        {
            if (context.Grain is not IDataCenterGrain || context.MethodName != nameof(IDataCenterGrain.ConfirmAsync))
            {
                await context.Invoke();
                return;
            }

            var call = context.Invoke();
            Interlocked.Exchange(ref _next, null)?.TrySetResult();
            await call;
        }
    }
}
