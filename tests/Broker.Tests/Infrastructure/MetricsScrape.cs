using System.Net.Http.Headers;

namespace Broker.Tests.Infrastructure;

/// <summary>Scrapes a broker's <c>/metrics</c> over HTTP as Prometheus would.</summary>
public static class MetricsScrape
{
    /// <summary>A scrape that must succeed: 200 in the Prometheus text format, parsed.</summary>
    public static async Task<PrometheusText> ScrapeAsync(this HttpClient client)
    {
        using var response = await client.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"/metrics answered {(int)response.StatusCode}: {text}");
        AssertPrometheusText(response.Content.Headers.ContentType);
        return PrometheusText.Parse(text);
    }

    /// <summary>The media type of the Prometheus text exposition format, version 0.0.4.</summary>
    public static void AssertPrometheusText(MediaTypeHeaderValue? contentType)
    {
        Assert.Equal("text/plain", contentType?.MediaType);
        Assert.Equal("0.0.4", contentType!.Parameters.Single(p => p.Name == "version").Value);
    }
}
