namespace Broker.Federation;

/// <summary>Upsert semantics of the federation file: entries are replaced by id, nothing is ever dropped.</summary>
public static class FederationMerge
{
    public static FederationDocument Upsert(FederationDocument current, FederationDocument change) => new()
    {
        Providers = UpsertById(current.Providers, change.Providers, p => p.Id),
        Tenants = UpsertById(current.Tenants, change.Tenants, t => t.Id),
        FederationAdmins = current.FederationAdmins
            .Concat(change.FederationAdmins)
            .DistinctBy(a => a.Token, StringComparer.Ordinal)
            .ToArray(),
    };

    private static T[] UpsertById<T>(T[] current, T[] change, Func<T, string> id)
    {
        var merged = current.ToDictionary(id, StringComparer.Ordinal);
        foreach (var item in change)
        {
            merged[id(item)] = item;
        }

        return merged.Values.OrderBy(id, StringComparer.Ordinal).ToArray();
    }
}
