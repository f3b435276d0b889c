using Broker.Contracts;
using Broker.Grains.Directory;
using Broker.Grains.Federation;
using Broker.Silo.Api;
using Microsoft.AspNetCore.Mvc;

namespace Broker.Silo.Portal.Pages;

/// <summary>The catalogue as <c>GET /v1/catalog</c> answers it for the caller, narrowed by resource class, protection level and region.</summary>
[PortalAuthorize]
public sealed class CatalogueModel(CapacityDirectory directory, FederationRegistry federation) : PortalPage
{
    [FromQuery(Name = "resource")]
    public string? Resource { get; set; }

    [FromQuery(Name = "level")]
    public string? LevelText { get; set; }

    [FromQuery(Name = "region")]
    public string? Region { get; set; }

    public ProtectionLevel? Level { get; private set; }

    public IReadOnlyList<string> ResourceClasses { get; private set; } = [];

    public IReadOnlyList<CatalogEntry> Entries { get; private set; } = [];

    public void OnGet()
    {
        var catalogue = FederationApi.GetCatalog(User, directory, federation).Value!;
        ResourceClasses = catalogue.Resources.Select(r => r.Resource).ToArray();
        Level = Enum.GetValues<ProtectionLevel>().Where(l => ApiEnums.Kebab(l) == LevelText).Select(l => (ProtectionLevel?)l).FirstOrDefault();
        var region = string.IsNullOrWhiteSpace(Region) ? null : Region.Trim().ToUpperInvariant();
        Region = region;
        Entries = catalogue.Resources
            .Where(entry => string.IsNullOrEmpty(Resource) || entry.Resource == Resource)
            .Select(entry => entry with
            {
                Offers = entry.Offers
                    .Where(o => Level is null || o.ProtectionLevel >= Level)
                    .Where(o => region is null || !Broker.Domain.Residency.IsValidRequirement(region) || Broker.Domain.Residency.Satisfies(o.Location, region))
                    .ToArray(),
            })
            .Where(entry => entry.Offers.Length > 0)
            .ToArray();
    }
}
