using Broker.Ledger;
using Broker.Requests;

namespace Broker.Grains.Ledger;

/// <summary>
/// What a bill needs of an allocation that still runs, so that it can be charged up to now before its end posts
/// the ledger lines: who pays whom (tenant, home provider, the parts' providers), what at which price, and since
/// and until when. Written by the request in the same commit as its record, so it never disagrees with it.
/// </summary>
[GenerateSerializer, Immutable, Alias("broker.running-allocation")]
public sealed record RunningAllocation
{
    [Id(0)] public required string RequestId { get; init; }
    [Id(1)] public required string Tenant { get; init; }
    [Id(2)] public required string HomeProvider { get; init; }
    [Id(3)] public required Allocation Allocation { get; init; }

    /// <summary>When the allocation as it is now began (the decision, or the last move): charges run from here.</summary>
    [Id(4)] public required DateTimeOffset Since { get; init; }

    /// <summary>When its lease ends unless renewed: charges never run past it.</summary>
    [Id(5)] public required DateTimeOffset Until { get; init; }

    /// <summary>
    /// Which stretch of a request a drain moved this is (0 up to the first move): its lines are named as its end will post
    /// them, apart from the stretches before, which the moves posted (charged at the old place up to the move).
    /// </summary>
    [Id(6)] public int Stretch { get; init; }

    /// <summary>
    /// Its charges from <see cref="Since"/> to <paramref name="now"/> (or to the lease's end, if that came first),
    /// split at month boundaries exactly as its end will post them.
    /// </summary>
    public IReadOnlyList<LedgerEntry> ChargesUpTo(DateTimeOffset now)
    {
        var end = now < Until ? now : Until;
        return end <= Since ? [] : UsageCharges.For(RequestId, Tenant, HomeProvider, Allocation, Since, end, Stretch);
    }

    /// <summary>Whether it still runs at <paramref name="now"/>: its lease has not ended (a lease that ran out is ended, only not yet recorded).</summary>
    public bool RunsAt(DateTimeOffset now) => now < Until;
}
