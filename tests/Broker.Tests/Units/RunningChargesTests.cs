using Broker.Grains.Ledger;
using Broker.Grains.Requests;
using Broker.Grains.Storage;
using Broker.Ledger;
using Broker.Requests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Serialization;

namespace Broker.Tests.Units;

/// <summary>
/// The running-allocation index as a request's commits keep it (listed while allocated, under every party of its
/// charges, gone with the end), and a period's charges read from it and the ledger: accrued up to now, split at month
/// ends, and never twice for an allocation whose end was posted meanwhile.
/// </summary>
public sealed class RunningChargesTests
{
    private static readonly Serializer Serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 22, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task RequestRows_AllocatedAwayFromHome_ListedUnderTenantBothProvidersAndBetweenProviders_GoneWithTheEnd()
    {
        var store = new MemoryRowStore();
        var rows = new RequestRows(store, Serializer, "r-1", new FakeTimeProvider());
        await rows.LoadAsync();
        var record = Allocated("r-1");

        await rows.WriteAsync(record, []);
        var whileRunning = await OwnersListingAsync(store, "r-1");
        record.State = RequestState.Released;
        record.EndedAt = Start.AddHours(1);
        await rows.WriteAsync(record, UsageCharges.For("r-1", "t", "home", record.Allocation!, Start, Start.AddHours(1)));
        var afterTheEnd = await OwnersListingAsync(store, "r-1");

        Assert.Equal(["between-providers", "provider:home", "provider:other", "tenant:t"], whileRunning);
        Assert.Empty(afterTheEnd);
    }

    [Fact]
    public async Task RequestRows_LoadedAllocatedThenEnded_TheIndexLinesAnEarlierActivationWroteAreDeleted()
    {
        var store = new MemoryRowStore();
        var first = new RequestRows(store, Serializer, "r-2", new FakeTimeProvider());
        await first.LoadAsync();
        await first.WriteAsync(Allocated("r-2"), []);

        var next = new RequestRows(store, Serializer, "r-2", new FakeTimeProvider());
        var loaded = (await next.LoadAsync())!;
        loaded.State = RequestState.Expired;
        await next.WriteAsync(loaded, []);

        Assert.Empty(await OwnersListingAsync(store, "r-2"));
    }

    [Fact]
    public async Task Charges_RunningAcrossAMonthEnd_EachMonthItsOwnPartUpToNow_Running()
    {
        var store = new MemoryRowStore();
        await store.CommitAsync([.. RunningAllocationRows.Put(Serializer, Running("r-3", until: Start.AddDays(30)))]);
        var now = Start.AddHours(5);

        var november = await PeriodCharges.OfAsync(store, Serializer, Party.Tenant("t"), "2026-11", now);
        var december = await PeriodCharges.OfAsync(store, Serializer, Party.Tenant("t"), "2026-12", now);

        // 1,000 units at 0.0002 served by "other": 2 h in November, 3 h in December so far.
        Assert.Equal([(Start, Start.AddHours(2), 0.4m, true)], november.Select(c => (c.Entry.From, c.Entry.To, c.Entry.Cost, c.Running)));
        Assert.Equal([(Start.AddHours(2), now, 0.6m, true)], december.Select(c => (c.Entry.From, c.Entry.To, c.Entry.Cost, c.Running)));
    }

    [Fact]
    public async Task Charges_LeaseRanOutButNotYetRecorded_ChargedToTheLeaseEnd_NotRunning()
    {
        var store = new MemoryRowStore();
        await store.CommitAsync([.. RunningAllocationRows.Put(Serializer, Running("r-4", until: Start.AddHours(1)))]);

        var charges = await PeriodCharges.OfAsync(store, Serializer, Party.Provider("other"), "2026-11", Start.AddHours(1.5));

        // The serving provider's leg only: the tenant's leg is the home provider's.
        var charge = Assert.Single(charges);
        Assert.Equal((Party.Provider("home"), Party.Provider("other"), Start.AddHours(1), 0.2m, false), (charge.Entry.Payer, charge.Entry.Payee, charge.Entry.To, charge.Entry.Cost, charge.Running));
    }

    [Fact]
    public async Task Charges_EndPostedWhileTheIndexLineWasStillRead_TheLedgerLinesOnly()
    {
        // What a bill sees when the allocation ends between its two reads: the index line it read first is stale.
        var store = new MemoryRowStore();
        var ended = UsageCharges.For("r-5", "t", "home", Running("r-5", Start.AddDays(1)).Allocation, Start, Start.AddMinutes(30));
        await store.CommitAsync([.. RunningAllocationRows.Put(Serializer, Running("r-5", until: Start.AddDays(1))), .. LedgerRows.Lines(Serializer, ended)]);

        var tenant = await PeriodCharges.OfAsync(store, Serializer, Party.Tenant("t"), "2026-11", Start.AddHours(1));
        var between = await PeriodCharges.BetweenProvidersAsync(store, Serializer, "2026-11", Start.AddHours(1));

        Assert.Equal([(Start.AddMinutes(30), 0.1m, false)], tenant.Select(c => (c.Entry.To, c.Entry.Cost, c.Running)));
        Assert.Equal([(Party.Provider("home"), Party.Provider("other"), 0.1m, false)], between.Select(c => (c.Entry.Payer, c.Entry.Payee, c.Entry.Cost, c.Running)));
    }

    private static async Task<string[]> OwnersListingAsync(MemoryRowStore store, string requestId)
    {
        var owners = new List<string>();
        foreach (var owner in new[] { "between-providers", "provider:home", "provider:other", "tenant:t" })
        {
            if (await store.ReadAsync(new RowKey(RunningAllocationRows.Table, owner, requestId)) is not null)
            {
                owners.Add(owner);
            }
        }

        return [.. owners];
    }

    private static Allocation AwayFromHome() => new()
    {
        Tier = Tier.Federation,
        Provider = "other",
        Parts = [new AllocationPart("other-dc", "other", Tier.Federation, "storage.ssd", 1_000, 0.0002m)],
    };

    private static RequestRecord Allocated(string id) => new()
    {
        State = RequestState.Allocated,
        Tenant = "t",
        HomeProvider = "home",
        CreatedAt = Start,
        DecidedAt = Start,
        LeaseExpiresAt = Start.AddDays(30),
        Allocation = AwayFromHome(),
    };

    private static RunningAllocation Running(string id, DateTimeOffset until) => new()
    {
        RequestId = id,
        Tenant = "t",
        HomeProvider = "home",
        Allocation = AwayFromHome(),
        Since = Start,
        Until = until,
    };
}
