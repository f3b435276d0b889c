using System.Globalization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Broker.Silo.OpenApi;

/// <summary>
/// Declares every problem answer of an operation — those its endpoint declares and the cross-cutting ones — each
/// status once, as a problem document listing the codes it may carry.
/// </summary>
public sealed class ProblemResponses : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var answers = metadata.OfType<ProblemAnswer>().Concat(CrossCuttingAnswers.Of([.. metadata]));
        operation.Responses ??= new OpenApiResponses();
        foreach (var status in answers.GroupBy(a => a.Status).OrderBy(g => g.Key))
        {
            var distinct = status.DistinctBy(a => a.Code, StringComparer.Ordinal).ToArray();
            operation.Responses[status.Key.ToString(CultureInfo.InvariantCulture)] = ProblemSchema.Response(context.Document!, distinct);
        }

        // In status order, successes first, as a reader looks them up.
        var ordered = operation.Responses.OrderBy(r => r.Key, StringComparer.Ordinal).ToArray();
        operation.Responses.Clear();
        foreach (var (status, response) in ordered)
        {
            operation.Responses[status] = response;
        }

        return Task.CompletedTask;
    }
}
