namespace Broker.Federation;

/// <summary>
/// Upsert semantics of the federation file and the admin API: entries are replaced by id at every level
/// (providers, their data centers and those's pools by resource class, contracts, tenants) and nothing is ever
/// dropped, so loading a file or sending a fragment can add and change, but never removes what allocations may rely on
/// (a data center keeps every pool it was given).
/// </summary>
public static class FederationMerge
{
    public static FederationDocument Upsert(FederationDocument current, FederationDocument change) => new()
    {
        Providers = UpsertById(current.Providers, change.Providers, p => p.Id, MergeProvider),
        Tenants = UpsertById(current.Tenants, change.Tenants, t => t.Id, (_, changed) => changed),
        FederationAdmins = UnionOfAdmins(current.FederationAdmins, change.FederationAdmins),
    };

    private static ProviderDefinition MergeProvider(ProviderDefinition current, ProviderDefinition change) => change with
    {
        DataCenters = UpsertById(current.DataCenters, change.DataCenters, dc => dc.Id, MergeDataCenter),
        Contracts = UpsertById(current.Contracts, change.Contracts, c => $"{c.Partner}/{c.Resource}", (_, changed) => changed),
        Admins = UnionOfAdmins(current.Admins, change.Admins),
    };

    private static DataCenterDefinition MergeDataCenter(DataCenterDefinition current, DataCenterDefinition change) => change with
    {
        Pools = UpsertById(current.Pools, change.Pools, pool => pool.Resource, (_, changed) => changed),
    };

    /// <summary>The document with one pool of a known data center set to <paramref name="pool"/>, all else as it was.</summary>
    public static FederationDocument WithPool(FederationDocument current, string dataCenter, PoolDefinition pool)
    {
        var owner = current.Providers.Single(p => p.DataCenters.Any(dc => dc.Id == dataCenter));
        var definition = owner.DataCenters.Single(dc => dc.Id == dataCenter);
        return Upsert(current, new FederationDocument
        {
            Providers = [owner with { DataCenters = [definition with { Pools = [pool] }], Contracts = [], Admins = [] }],
        });
    }

    /// <summary>
    /// Admins are one per token, and a token is known by its hash: a hashed entry has no plain <c>token</c>, so the
    /// plain token would make every hashed admin after the first a duplicate. An entry of the change without any
    /// credential is kept for the validator to refuse by its path; a stored one stands for nobody and is let go.
    /// </summary>
    private static AdminDefinition[] UnionOfAdmins(AdminDefinition[] current, AdminDefinition[] change)
    {
        var known = current.Where(a => HashOf(a) is not null).ToList();
        var hashes = known.Select(HashOf).ToHashSet(StringComparer.Ordinal);
        known.AddRange(change.Where(a => HashOf(a) is not { } hash || hashes.Add(hash)));
        return known.ToArray();
    }

    private static string? HashOf(AdminDefinition admin) => TokenHash.Of(admin.Token, admin.TokenSha256);

    private static T[] UpsertById<T>(T[] current, T[] change, Func<T, string> id, Func<T, T, T> merge)
    {
        var merged = current.ToDictionary(id, StringComparer.Ordinal);
        foreach (var item in change)
        {
            merged[id(item)] = merged.TryGetValue(id(item), out var known) ? merge(known, item) : item;
        }

        return merged.Values.OrderBy(id, StringComparer.Ordinal).ToArray();
    }
}
