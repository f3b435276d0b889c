using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace Broker.Silo.OpenApi;

/// <summary>
/// The RFC 9457 problem document every error answer of the broker is (<c>Api/Problems</c>): a component of its own,
/// and per answer the codes that answer may carry, so that a client (or a validating proxy) knows them all.
/// </summary>
public static class ProblemSchema
{
    public const string ComponentName = "Problem";

    public const string MediaType = "application/problem+json";

    /// <summary>The response for one status: its codes and when each is given; 429 and 503 say when to retry.</summary>
    public static OpenApiResponse Response(OpenApiDocument document, IReadOnlyCollection<ProblemAnswer> answers)
    {
        AddComponent(document);
        var codes = new OpenApiSchema { Type = JsonSchemaType.String, Enum = answers.Select(a => (JsonNode)JsonValue.Create(a.Code)!).ToList() };
        var response = new OpenApiResponse
        {
            Description = string.Join("; ", answers.Select(a => $"`{a.Code}`: {a.When}")),
            Content = new Dictionary<string, OpenApiMediaType>
            {
                [MediaType] = new()
                {
                    Schema = new OpenApiSchema
                    {
                        AllOf = [new OpenApiSchemaReference(ComponentName, document), new OpenApiSchema { Properties = new Dictionary<string, IOpenApiSchema> { ["code"] = codes } }],
                    },
                },
            },
        };
        if (answers.First().Status is StatusCodes.Status429TooManyRequests or StatusCodes.Status503ServiceUnavailable)
        {
            response.Headers = new Dictionary<string, IOpenApiHeader>
            {
                ["Retry-After"] = new OpenApiHeader { Description = "seconds to wait before trying again", Schema = new OpenApiSchema { Type = JsonSchemaType.Integer } },
            };
        }

        return response;
    }

    private static void AddComponent(OpenApiDocument document)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas.TryAdd(ComponentName, new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "An RFC 9457 problem document with the broker's stable error code.",
            Required = new HashSet<string> { "type", "title", "status", "detail", "code" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "/problems/{code}" },
                ["title"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer },
                ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "what went wrong, for people; never a token" },
                ["code"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "the stable error code a client switches on" },
                ["errors"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Description = "with invalid-request: each field at fault (a JSON path) and what is wrong with it",
                    AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
                },
                ["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "the W3C trace id of the call, for the logs" },
            },
        });
    }
}
