using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Broker.Silo.OpenApi;

/// <summary>
/// The health endpoints in the document. They are health-check middleware, not route handlers, so the API explorer
/// does not see them; what they answer is the framework's plain text (<c>Healthy</c>, <c>Unhealthy</c>).
/// </summary>
public sealed class HealthOperations : IOpenApiDocumentTransformer
{
    public const string Tag = "Health";

    public const string LivePath = "/health/live";

    public const string ReadyPath = "/health/ready";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Paths ??= new OpenApiPaths();
        document.Paths[LivePath] = PathOf(document, "GetLiveness", "Whether the process serves HTTP at all", ready: false);
        document.Paths[ReadyPath] = PathOf(document, "GetReadiness", "Whether the silo is in the cluster and storage answers", ready: true);
        return Task.CompletedTask;
    }

    private static OpenApiPathItem PathOf(OpenApiDocument document, string operationId, string summary, bool ready)
    {
        var responses = new OpenApiResponses { ["200"] = Text("`Healthy`") };
        if (ready)
        {
            responses["503"] = Text("`Unhealthy`: not in the cluster yet, or the cluster or its storage does not answer");
        }

        return new OpenApiPathItem
        {
            Operations = new Dictionary<HttpMethod, OpenApiOperation>
            {
                [HttpMethod.Get] = new()
                {
                    OperationId = operationId,
                    Summary = summary,
                    Tags = new HashSet<OpenApiTagReference> { new(Tag, document) },
                    Security = [],
                    Responses = responses,
                },
            },
        };
    }

    private static OpenApiResponse Text(string description) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType> { ["text/plain"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } } },
    };
}
