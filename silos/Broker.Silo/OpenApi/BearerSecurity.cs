using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Broker.Silo.OpenApi;

/// <summary>
/// The bearer scheme, and on each operation that needs a caller, the requirement of it; operations anyone may call
/// (health) say so with an empty requirement list.
/// </summary>
public sealed class BearerSecurity : IOpenApiDocumentTransformer, IOpenApiOperationTransformer
{
    public const string SchemeName = "bearer";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[SchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "A token of the federation file (known to the broker by its SHA-256), or a JWT of the OpenID Connect issuer the broker is configured with.",
        };
        return Task.CompletedTask;
    }

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        operation.Security = metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any()
            ? [Requirement(context.Document!)]
            : [];
        return Task.CompletedTask;
    }

    public static OpenApiSecurityRequirement Requirement(OpenApiDocument document) =>
        new() { [new OpenApiSecuritySchemeReference(SchemeName, document)] = [] };
}
