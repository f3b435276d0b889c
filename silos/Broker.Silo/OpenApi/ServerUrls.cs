using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Broker.Silo.OpenApi;

/// <summary>
/// The server URL the document is generated with (where it was asked for) ends in a slash; every path already
/// starts with one, so a client joining them would ask for <c>//v1/…</c>.
/// </summary>
public sealed class ServerUrls : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var server in document.Servers ?? [])
        {
            server.Url = server.Url?.TrimEnd('/');
        }

        return Task.CompletedTask;
    }
}
