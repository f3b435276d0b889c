using Broker.Domain;
using Broker.Federation;

namespace Broker.Grains.Federation;

/// <summary>An immutable, indexed snapshot of the federation document: what a silo looks things up in.</summary>
public sealed class FederationView
{
    public static readonly FederationView Empty = new(0, new FederationDocument());

    public FederationView(long version, FederationDocument document)
    {
        Version = version;
        Document = document;
        Providers = document.Providers.ToDictionary(p => p.Id, StringComparer.Ordinal);
        Tenants = document.Tenants.ToDictionary(t => t.Id, StringComparer.Ordinal);
        DataCenterOwners = document.Providers
            .SelectMany(p => p.DataCenters.Select(dc => (dc.Id, p.Id)))
            .ToDictionary(x => x.Item1, x => x.Item2, StringComparer.Ordinal);
        ResourceClasses = document.Providers
            .SelectMany(p => p.DataCenters)
            .SelectMany(dc => dc.Pools)
            .Select(pool => pool.Resource)
            .ToHashSet(StringComparer.Ordinal);
        Principals = IndexTokens(document);
    }

    public long Version { get; }

    public FederationDocument Document { get; }

    public IReadOnlyDictionary<string, ProviderDefinition> Providers { get; }

    public IReadOnlyDictionary<string, TenantDefinition> Tenants { get; }

    /// <summary>Data center id → the id of the provider that owns it.</summary>
    public IReadOnlyDictionary<string, string> DataCenterOwners { get; }

    /// <summary>Every resource class some pool offers: the classes a request may ask for.</summary>
    public IReadOnlySet<string> ResourceClasses { get; }

    /// <summary>Bearer token → who holds it.</summary>
    /// <summary>Principals by the SHA-256 of their token; the hash is kept beside each for the final comparison.</summary>
    public IReadOnlyDictionary<string, (string Hash, Principal Principal)> Principals { get; }

    /// <summary>The contract of <paramref name="homeProvider"/> with <paramref name="partner"/> for a class, if any.</summary>
    public ContractDefinition? ContractFor(string homeProvider, string partner, string resource) =>
        Providers.TryGetValue(homeProvider, out var home)
            ? Array.Find(home.Contracts, c => c.Partner == partner && c.Resource == resource)
            : null;

    public ProviderKind KindOf(string provider) =>
        Providers.TryGetValue(provider, out var p) ? p.Kind : ProviderKind.Member;

    private static Dictionary<string, (string Hash, Principal Principal)> IndexTokens(FederationDocument document)
    {
        var principals = new Dictionary<string, (string Hash, Principal Principal)>(StringComparer.Ordinal);
        void Add(string? token, string? tokenSha256, Principal principal)
        {
            if (TokenHash.Of(token, tokenSha256) is { } hash)
            {
                principals[hash] = (hash, principal);
            }
        }

        foreach (var admin in document.FederationAdmins)
        {
            Add(admin.Token, admin.TokenSha256, Principal.FederationAdmin);
        }

        foreach (var provider in document.Providers)
        {
            foreach (var admin in provider.Admins)
            {
                Add(admin.Token, admin.TokenSha256, Principal.ProviderAdmin(provider.Id));
            }
        }

        foreach (var tenant in document.Tenants)
        {
            Add(tenant.Token, tenant.TokenSha256, Principal.Tenant(tenant.Id, tenant.HomeProvider));
        }

        return principals;
    }

    /// <summary>
    /// The principal a presented bearer token stands for, if any: looked up by the token's hash, then the
    /// stored hash compared with the presented one in constant time.
    /// </summary>
    public Principal? Authenticate(string token)
    {
        var presented = TokenHash.Of(token);
        return Principals.TryGetValue(presented, out var entry) && TokenHash.FixedTimeEquals(entry.Hash, presented) ? entry.Principal : null;
    }
}
