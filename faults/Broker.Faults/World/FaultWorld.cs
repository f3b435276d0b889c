using System.Text.Json;

namespace Broker.Faults.World;

/// <summary>
/// The federation of a fault run: three member providers (one per silo) with two data centers each and small
/// pools, so that requests contend, split and spill over; one partner under contract with every member, with
/// contract volumes small enough to be reached; one tenant at home with each member.
/// </summary>
public sealed class FaultWorld
{
    public const string Partner = "partner-p";

    private static readonly (string Location, string Protection)[] Sites = [("DE-HH", "high"), ("DE-NW", "normal")];

    public FaultWorld(string runId)
    {
        RunId = runId;
    }

    public string RunId { get; }

    public string[] Members { get; } = ["land-a", "land-b", "land-c"];

    public string FederationAdminToken => $"fed-{RunId}";

    public string TenantOf(string member) => $"t-{member}";

    public string TenantToken(string tenant) => $"token-{tenant}-{RunId}";

    public IEnumerable<string> Tenants => Members.Select(TenantOf);

    public IEnumerable<string> Providers => [.. Members, Partner];

    /// <summary>The federation file the silos load at start; the checker takes its prices and limits from the same file.</summary>
    public string FederationJson()
    {
        var members = Members.Select((member, m) => (object)new
        {
            id = member,
            name = member,
            kind = "member",
            regions = new[] { "DE" },
            dataCenters = Sites.Select((site, s) => new
            {
                id = $"{member}-dc{s + 1}",
                location = site.Location,
                protectionLevel = site.Protection,
                pools = new object[]
                {
                    Pool("compute.vcpu", 48, 0.0120m + (0.0005m * ((2 * m) + s))),
                    Pool("compute.memory", 192, 0.0030m + (0.0001m * ((2 * m) + s))),
                    Pool("storage.ssd", 2000, 0.00013m + (0.00001m * ((2 * m) + s))),
                },
            }),
            contracts = new object[]
            {
                new { partner = Partner, resource = "storage.ssd", maxAmount = 1500, pricePerUnitHour = 0.00011m },
                new { partner = Partner, resource = "compute.vcpu", maxAmount = 40, pricePerUnitHour = 0.0190m },
            },
        });
        var partner = new
        {
            id = Partner,
            name = Partner,
            kind = "partner",
            regions = new[] { "DE" },
            dataCenters = new[]
            {
                new
                {
                    id = $"{Partner}-dc1",
                    location = "DE-HE",
                    protectionLevel = "high",
                    pools = new object[] { Pool("compute.vcpu", 400, 0.0210m), Pool("storage.ssd", 20000, 0.00016m) },
                },
            },
            contracts = Array.Empty<object>(),
        };
        return JsonSerializer.Serialize(new
        {
            providers = members.Append(partner),
            tenants = Members.Select(member => new { id = TenantOf(member), name = TenantOf(member), homeProvider = member, token = TenantToken(TenantOf(member)) }),
            federationAdmins = new[] { new { token = FederationAdminToken } },
        });
    }

    private static object Pool(string resource, long total, decimal price) => new { resource, total, pricePerUnitHour = price };
}
