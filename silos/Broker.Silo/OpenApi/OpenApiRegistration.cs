namespace Broker.Silo.OpenApi;

/// <summary>
/// The v1 OpenAPI document, generated from the routes (Microsoft.AspNetCore.OpenApi) and completed by transformers,
/// each with one job; the dashboard's own routes are left out, as they are no part of the API.
/// </summary>
public static class OpenApiRegistration
{
    public static IServiceCollection AddBrokerOpenApi(this IServiceCollection services)
    {
        services.AddOptions<OpenApiDocumentOptions>().BindConfiguration(OpenApiDocumentOptions.Section);
        services.AddOpenApi(openApi =>
        {
            var includedByDefault = openApi.ShouldInclude;
            openApi.ShouldInclude = description => includedByDefault(description) && !IsDashboard(description.RelativePath);
            openApi.AddDocumentTransformer<DocumentDescription>();
            openApi.AddDocumentTransformer<ServerUrls>();
            openApi.AddDocumentTransformer<HealthOperations>();
            openApi.AddDocumentTransformer<BearerSecurity>();
            openApi.AddOperationTransformer<BearerSecurity>();
            openApi.AddOperationTransformer<ProblemResponses>();
            openApi.AddOperationTransformer<CsvResponses>();
        });
        return services;
    }

    private static bool IsDashboard(string? relativePath) =>
        relativePath is not null && relativePath.TrimStart('/').StartsWith("dashboard", StringComparison.Ordinal);
}
