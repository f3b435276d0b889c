using Broker.LoadTests.World;

namespace Broker.LoadTests.Demand;

/// <summary>What one authority asks for: one item, with the constraints its data needs.</summary>
public sealed record LoadAsk(string Resource, long Amount, string ProtectionLevel, string Residency, bool Splittable)
{
    /// <summary>The protection level as the enum of a target's own contract (the client's or the domain's: they spell it alike).</summary>
    public TLevel ProtectionLevelAs<TLevel>() where TLevel : struct, Enum =>
        Enum.Parse<TLevel>(ProtectionLevel.Replace("-", "", StringComparison.Ordinal), ignoreCase: true);
}

/// <summary>
/// One request of the plan: when it is due (from the start of the phase), who asks, what for, and how long
/// the authority keeps the capacity before releasing it. <see cref="IsBurst"/> marks a storage-burst giant,
/// <see cref="IsSpike"/> an ask of the election state's authorities during the spike. <see cref="Lease"/> is the
/// lease asked for (null: <c>LoadLease</c>, an hour).
/// </summary>
public sealed record Arrival(int Index, TimeSpan At, LoadTenant Tenant, LoadAsk Ask, TimeSpan Hold, bool IsBurst, bool IsSpike = false, TimeSpan? Lease = null);
