namespace Broker.Silo.OpenApi;

/// <summary>Who to ask about the API and under which licence it is offered, as the document's info states (<c>Broker:OpenApi</c>).</summary>
public sealed class OpenApiDocumentOptions
{
    public const string Section = "Broker:OpenApi";

    public string ContactName { get; set; } = "The federation's coordination office";

    public string? ContactEmail { get; set; }

    public Uri? ContactUrl { get; set; }

    /// <summary>An SPDX licence identifier; the European Union Public Licence unless the federation says otherwise.</summary>
    public string LicenseIdentifier { get; set; } = "EUPL-1.2";

    public string LicenseName { get; set; } = "European Union Public Licence 1.2";
}
