using System.Text.Json;

namespace Broker.Faults.Checking;

/// <summary>
/// The federation as its file defines it, read by the checker itself: pool limits, list prices, contract
/// prices and volumes, and each tenant's home provider. Nothing here comes from the broker's answers.
/// </summary>
public sealed class FederationModel
{
    private readonly Dictionary<(string DataCenter, string Resource), (long Capacity, decimal Price)> _pools = [];
    private readonly Dictionary<(string Member, string Partner, string Resource), (long MaxAmount, decimal Price)> _contracts = [];
    private readonly Dictionary<string, string> _homes = [];
    private readonly List<(string Id, string Provider, bool Partner, string Location, int Protection)> _dataCenters = [];

    public IReadOnlyDictionary<(string DataCenter, string Resource), (long Capacity, decimal Price)> Pools => _pools;

    public IReadOnlyDictionary<(string Member, string Partner, string Resource), (long MaxAmount, decimal Price)> Contracts => _contracts;

    public static FederationModel Parse(string json)
    {
        var model = new FederationModel();
        using var document = JsonDocument.Parse(json);
        foreach (var provider in document.RootElement.GetProperty("providers").EnumerateArray())
        {
            var id = provider.GetProperty("id").GetString()!;
            var partner = provider.TryGetProperty("kind", out var kind) && kind.GetString() == "partner";
            foreach (var dc in provider.GetProperty("dataCenters").EnumerateArray())
            {
                var protection = dc.TryGetProperty("protectionLevel", out var level) ? Level(level.GetString()) : 0;
                model._dataCenters.Add((dc.GetProperty("id").GetString()!, id, partner, dc.GetProperty("location").GetString()!, protection));
                foreach (var pool in dc.GetProperty("pools").EnumerateArray())
                {
                    var ratio = pool.TryGetProperty("allocationRatio", out var r) ? r.GetDouble() : 1.0;
                    var capacity = (long)Math.Floor(pool.GetProperty("total").GetInt64() * ratio);
                    model._pools[(dc.GetProperty("id").GetString()!, pool.GetProperty("resource").GetString()!)] = (capacity, pool.GetProperty("pricePerUnitHour").GetDecimal());
                }
            }

            if (provider.TryGetProperty("contracts", out var contracts))
            {
                foreach (var c in contracts.EnumerateArray())
                {
                    model._contracts[(id, c.GetProperty("partner").GetString()!, c.GetProperty("resource").GetString()!)] =
                        (c.GetProperty("maxAmount").GetInt64(), c.GetProperty("pricePerUnitHour").GetDecimal());
                }
            }
        }

        foreach (var tenant in document.RootElement.GetProperty("tenants").EnumerateArray())
        {
            model._homes[tenant.GetProperty("id").GetString()!] = tenant.GetProperty("homeProvider").GetString()!;
        }

        return model;
    }

    public string HomeOf(string tenant) => _homes[tenant];

    /// <summary>
    /// Whether any data center could ever hold the request, the federation being empty: within its protection level
    /// and residency, a partner only under the home provider's contract, every item in one data center (or, when
    /// splittable, each item across several). "Unsatisfiable" is a true answer only where this says no.
    /// </summary>
    public bool CouldEverServe(string tenant, History.SpecView spec)
    {
        var eligible = _dataCenters.Where(dc =>
            dc.Protection >= Level(spec.ProtectionLevel)
            && (spec.Residency is "DE" or "EU" || dc.Location == spec.Residency)).ToList();
        long Room(string dc, bool partner, string provider, string resource) =>
            !_pools.TryGetValue((dc, resource), out var pool) ? 0
            : !partner ? pool.Capacity
            : _contracts.TryGetValue((HomeOf(tenant), provider, resource), out var contract) ? Math.Min(pool.Capacity, contract.MaxAmount) : 0;
        return spec.Splittable
            ? spec.Items.All(item => eligible.Sum(dc => Room(dc.Id, dc.Partner, dc.Provider, item.Resource)) >= item.Amount)
            : eligible.Any(dc => spec.Items.All(item => Room(dc.Id, dc.Partner, dc.Provider, item.Resource) >= item.Amount));
    }

    private static int Level(string? level) => level switch
    {
        "high" => 1,
        "very-high" => 2,
        _ => 0,
    };

    /// <summary>What one unit-hour of a part costs the tenant: the contract price where a partner serves, else the pool's list price.</summary>
    public decimal PriceOf(string tenant, string tier, string provider, string dataCenter, string resource) =>
        tier == "partner" ? _contracts[(HomeOf(tenant), provider, resource)].Price : _pools[(dataCenter, resource)].Price;
}
