using Broker.Silo.Api;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Broker.Silo.OpenApi;

/// <summary>Marks an endpoint whose success answers <c>text/csv</c> too, when the caller asks for it (<see cref="FocusCsv"/>).</summary>
public sealed record CsvAnswer;

public static class CsvAnswerDeclarations
{
    /// <summary>Declares that the endpoint's 200 answers FOCUS CSV with <c>Accept: text/csv</c>, beside its JSON.</summary>
    public static TBuilder AnswersCsv<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new CsvAnswer());
}

/// <summary>Adds the CSV form to the 200 answer of every endpoint marked with <see cref="CsvAnswer"/>: a text whose columns the description names.</summary>
public sealed class CsvResponses : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (!context.Description.ActionDescriptor.EndpointMetadata.OfType<CsvAnswer>().Any()
            || operation.Responses?.TryGetValue("200", out var ok) != true || ok is not OpenApiResponse success)
        {
            return Task.CompletedTask;
        }

        success.Content ??= new Dictionary<string, OpenApiMediaType>();
        success.Content[FocusCsv.MediaType] = new OpenApiMediaType
        {
            Schema = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Description = $"With `Accept: text/csv`: RFC 4180 CSV, a header row and one row per charge, columns {string.Join(", ", FocusCsv.Columns)} (FinOps FOCUS names; `x_` columns are the broker's own).",
            },
        };
        return Task.CompletedTask;
    }
}
