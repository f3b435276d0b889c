using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace Broker.Silo.OpenApi;

/// <summary>What the document is about: its title, description, contact and licence, and what each tag groups.</summary>
public sealed class DocumentDescription(IOptions<OpenApiDocumentOptions> options) : IOpenApiDocumentTransformer
{
    private static readonly Dictionary<string, string> Tags = new(StringComparer.Ordinal)
    {
        ["Requests"] = "A tenant's requests for capacity: ask, read, list, renew, release.",
        ["Federation"] = "The catalogue, the federation's capacity, a provider's data centers and pools, and the federation admin's upsert.",
        ["Billing"] = "Tenants' bills and providers' statements per month, in EUR.",
        ["Audit"] = "The hash-chained audit trail and its verification.",
        [HealthOperations.Tag] = "Liveness and readiness, for load balancers and orchestrators; no token needed.",
    };

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        document.Info = new OpenApiInfo
        {
            Title = "Broker API",
            Version = "v1",
            Description = "Capacity for authorities from their provider, another member of the federation or a commercial partner under contract. "
                + "Every error is an RFC 9457 problem document with a stable `code`; every call but health needs a bearer token.",
            Contact = new OpenApiContact { Name = settings.ContactName, Email = settings.ContactEmail, Url = settings.ContactUrl },
            License = new OpenApiLicense { Name = settings.LicenseName, Identifier = settings.LicenseIdentifier },
        };
        document.Tags = Tags.Select(t => new OpenApiTag { Name = t.Key, Description = t.Value }).ToHashSet();
        return Task.CompletedTask;
    }
}
