using Broker.Domain;
using Broker.Federation;

namespace Broker.Grains.Federation;

/// <summary>
/// Checks a federation document before anything is applied: a bad file stops the silo with every
/// problem named; a bad admin upsert is answered 400 and changes nothing.
/// </summary>
public static class FederationValidator
{
    /// <summary>Problems keyed by the JSON path at fault; empty when the document is sound.</summary>
    public static Dictionary<string, string[]> Validate(FederationDocument document)
    {
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Fail(string path, string message)
        {
            if (!errors.TryGetValue(path, out var list))
            {
                errors[path] = list = [];
            }

            list.Add(message);
        }

        var providers = document.Providers.ToDictionary(p => p.Id, StringComparer.Ordinal);
        Duplicates(document.Providers.Select(p => p.Id), "providers", Fail);
        Duplicates(document.Providers.SelectMany(p => p.DataCenters).Select(dc => dc.Id), "dataCenters", Fail);
        Duplicates(document.Tenants.Select(t => t.Id), "tenants", Fail);
        Duplicates(AllTokens(document), "tokens", Fail);
        ValidateTokenHashes(document, Fail);
        ValidateAdminCredentials(document, Fail);
        for (var t = 0; t < document.Tenants.Length; t++)
        {
            foreach (var (resource, quota) in document.Tenants[t].Quotas.Where(q => q.Value < 0))
            {
                Fail($"tenants[{t}].quotas.{resource}", "must not be negative");
            }
        }

        for (var p = 0; p < document.Providers.Length; p++)
        {
            ValidateProvider(document.Providers[p], $"providers[{p}]", providers, Fail);
        }

        for (var t = 0; t < document.Tenants.Length; t++)
        {
            var tenant = document.Tenants[t];
            var path = $"tenants[{t}]";
            if (!IsId(tenant.Id))
            {
                Fail($"{path}.id", "must be 1-64 characters of a-z, 0-9, '-' and '_'");
            }

            if (!providers.TryGetValue(tenant.HomeProvider, out var home) || home.Kind != ProviderKind.Member)
            {
                Fail($"{path}.homeProvider", $"'{tenant.HomeProvider}' is not a member provider of the federation");
            }
        }

        return errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
    }

    /// <summary>
    /// Entries a JSON <c>null</c> left empty (<c>"providers": [null]</c>): refused by path before the document is
    /// merged, which keys every entry by its id.
    /// </summary>
    public static Dictionary<string, string[]> NullEntries(FederationDocument change)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        void Check<T>(IReadOnlyList<T?> list, string path)
        {
            for (var i = 0; i < list.Count; i++)
            {
                if (list[i] is null)
                {
                    errors[$"{path}[{i}]"] = ["must not be null"];
                }
            }
        }

        Check(change.Providers, "providers");
        Check(change.Tenants, "tenants");
        Check(change.FederationAdmins, "federationAdmins");
        for (var p = 0; p < change.Providers.Length; p++)
        {
            if (change.Providers[p] is not { } provider)
            {
                continue;
            }

            var path = $"providers[{p}]";
            Check(provider.Regions, $"{path}.regions");
            Check(provider.DataCenters, $"{path}.dataCenters");
            Check(provider.Contracts, $"{path}.contracts");
            Check(provider.Admins, $"{path}.admins");
            for (var d = 0; d < provider.DataCenters.Length; d++)
            {
                if (provider.DataCenters[d] is { } dc)
                {
                    Check(dc.Pools, $"{path}.dataCenters[{d}].pools");
                }
            }
        }

        return errors;
    }

    public static bool IsId(string? id) =>
        id is { Length: > 0 and <= 64 } && id.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_');

    private static void ValidateProvider(ProviderDefinition provider, string path, Dictionary<string, ProviderDefinition> providers, Action<string, string> fail)
    {
        if (!IsId(provider.Id))
        {
            fail($"{path}.id", "must be 1-64 characters of a-z, 0-9, '-' and '_'");
        }

        foreach (var (region, r) in provider.Regions.Select((x, i) => (x, i)))
        {
            if (!Residency.IsValidLocation(region))
            {
                fail($"{path}.regions[{r}]", $"'{region}' is not a country (DE) or ISO 3166-2 subdivision (DE-HH)");
            }
        }

        for (var d = 0; d < provider.DataCenters.Length; d++)
        {
            var dc = provider.DataCenters[d];
            var dcPath = $"{path}.dataCenters[{d}]";
            if (!IsId(dc.Id))
            {
                fail($"{dcPath}.id", "must be 1-64 characters of a-z, 0-9, '-' and '_'");
            }

            if (!Residency.IsValidLocation(dc.Location))
            {
                fail($"{dcPath}.location", $"'{dc.Location}' is not a country (DE) or ISO 3166-2 subdivision (DE-HH)");
            }

            if (dc.RenewableShare is < 0 or > 1 || double.IsNaN(dc.RenewableShare))
            {
                fail($"{dcPath}.renewableShare", "must be between 0 and 1");
            }

            Duplicates(dc.Pools.Select(pool => pool.Resource), $"{dcPath}.pools", fail);
            for (var i = 0; i < dc.Pools.Length; i++)
            {
                ValidatePool(dc.Pools[i], $"{dcPath}.pools[{i}]", fail);
            }
        }

        for (var c = 0; c < provider.Contracts.Length; c++)
        {
            var contract = provider.Contracts[c];
            var cPath = $"{path}.contracts[{c}]";
            if (!providers.TryGetValue(contract.Partner, out var partner) || partner.Kind != ProviderKind.Partner)
            {
                fail($"{cPath}.partner", $"'{contract.Partner}' is not a partner provider of the federation");
            }

            if (!ResourceClasses.IsWellFormed(contract.Resource))
            {
                fail($"{cPath}.resource", "must be a resource class such as storage.ssd");
            }

            if (contract.MaxAmount < 0 || contract.PricePerUnitHour < 0)
            {
                fail(cPath, "maxAmount and pricePerUnitHour must not be negative");
            }
        }
    }

    private static void ValidatePool(PoolDefinition pool, string path, Action<string, string> fail)
    {
        if (!ResourceClasses.IsWellFormed(pool.Resource))
        {
            fail($"{path}.resource", "must be a resource class such as storage.ssd");
        }

        if (pool.Total < 0 || pool.Headroom < 0 || pool.Headroom > pool.Total)
        {
            fail(path, "needs 0 ≤ headroom ≤ total");
        }

        if (pool.AllocationRatio is <= 0 or > 100 || double.IsNaN(pool.AllocationRatio))
        {
            fail($"{path}.allocationRatio", "must be above 0 and at most 100");
        }

        if (pool.MinUnit < 1 || pool.Step < 1 || pool.MaxUnit < pool.MinUnit)
        {
            fail(path, "needs minUnit ≥ 1, step ≥ 1 and maxUnit ≥ minUnit");
        }

        if (pool.PricePerUnitHour < 0)
        {
            fail($"{path}.pricePerUnitHour", "must not be negative");
        }
    }

    /// <summary>Every entry's token as its hash: a plain token and the hash of the same token are one token.</summary>
    private static IEnumerable<string> AllTokens(FederationDocument document) =>
        document.FederationAdmins.Select(a => TokenHash.Of(a.Token, a.TokenSha256))
            .Concat(document.Providers.SelectMany(p => p.Admins).Select(a => TokenHash.Of(a.Token, a.TokenSha256)))
            .Concat(document.Tenants.Select(t => TokenHash.Of(t.Token, t.TokenSha256)))
            .OfType<string>();

    private static void ValidateTokenHashes(FederationDocument document, Action<string, string> fail)
    {
        void Check(string? hash, string path)
        {
            if (hash is not null && !TokenHash.IsWellFormed(hash))
            {
                fail(path, "must be the SHA-256 of the token: 64 hex digits, as sha256sum prints it");
            }
        }

        for (var i = 0; i < document.FederationAdmins.Length; i++)
        {
            Check(document.FederationAdmins[i].TokenSha256, $"federationAdmins[{i}].tokenSha256");
        }

        for (var p = 0; p < document.Providers.Length; p++)
        {
            for (var i = 0; i < document.Providers[p].Admins.Length; i++)
            {
                Check(document.Providers[p].Admins[i].TokenSha256, $"providers[{p}].admins[{i}].tokenSha256");
            }
        }

        for (var i = 0; i < document.Tenants.Length; i++)
        {
            Check(document.Tenants[i].TokenSha256, $"tenants[{i}].tokenSha256");
        }
    }

    /// <summary>An admin entry without a token or its hash would stand for nobody: refused, rather than kept as an empty entry.</summary>
    private static void ValidateAdminCredentials(FederationDocument document, Action<string, string> fail)
    {
        void Check(AdminDefinition admin, string path)
        {
            if (TokenHash.Of(admin.Token, admin.TokenSha256) is null)
            {
                fail(path, "needs 'tokenSha256' (or, for trying the broker out, a plain 'token')");
            }
        }

        for (var i = 0; i < document.FederationAdmins.Length; i++)
        {
            Check(document.FederationAdmins[i], $"federationAdmins[{i}]");
        }

        for (var p = 0; p < document.Providers.Length; p++)
        {
            for (var i = 0; i < document.Providers[p].Admins.Length; i++)
            {
                Check(document.Providers[p].Admins[i], $"providers[{p}].admins[{i}]");
            }
        }
    }

    private static void Duplicates(IEnumerable<string> ids, string path, Action<string, string> fail)
    {
        foreach (var id in ids.GroupBy(x => x, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key))
        {
            fail(path, path == "tokens" ? "a token is used more than once" : $"'{id}' appears more than once");
        }
    }
}
