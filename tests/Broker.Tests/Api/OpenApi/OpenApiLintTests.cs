using System.Text.Json;

namespace Broker.Tests.Api.OpenApi;

/// <summary>The document a real silo serves, linted by Redocly's recommended ruleset (tests/openapi-tools/redocly.yaml).</summary>
[Collection(BrokerCollection.Name)]
public sealed class OpenApiLintTests(BrokerFixture broker) : IDisposable
{
    private readonly TempDirectory _directory = new("openapi-lint");

    [Fact]
    public async Task ServedDocument_RedoclyRecommendedRuleset_NoError_OnlyTheHealthChecksWarningOfNo4xx()
    {
        var document = await OpenApiTools.SaveDocumentAsync(broker, _directory.Path);

        var problems = await LintAsync(document);

        // A health check has no client error to give: inventing a 4xx for it would describe an answer that never comes.
        Assert.True(
            problems.SequenceEqual([
                "warn operation-4xx-response Operation must have at least one `4XX` response. (#/paths/~1health~1live/get/responses)",
                "warn operation-4xx-response Operation must have at least one `4XX` response. (#/paths/~1health~1ready/get/responses)",
            ]),
            "Redocly found: " + string.Join("\n", problems));
    }

    [Fact]
    public async Task DocumentWithAnOperationLackingItsSummary_RedoclyReportsAnError()
    {
        // The lint can fail: the same document with one summary taken away is an error of the recommended ruleset.
        var document = await OpenApiTools.SaveDocumentAsync(broker, _directory.Path, text => text.Replace("\"summary\": \"One request\",", "", StringComparison.Ordinal));

        var problems = await LintAsync(document);

        Assert.Contains(problems, p => p.StartsWith("error operation-summary", StringComparison.Ordinal));
    }

    public void Dispose() => _directory.Dispose();

    /// <summary>Every problem as "severity rule message (where)".</summary>
    private static async Task<List<string>> LintAsync(string document)
    {
        var report = Path.Combine(Path.GetDirectoryName(document)!, Path.GetFileNameWithoutExtension(document) + "-lint.json");
        using var lint = OpenApiTools.Start(await OpenApiTools.PathOfAsync("redocly"), "lint", document, "--config", Path.Combine(OpenApiTools.Directory, "redocly.yaml"), "--format", "json", "--max-problems", "1000");
        var output = lint.StandardOutput.ReadToEndAsync();
        var errors = lint.StandardError.ReadToEndAsync();
        await lint.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        await File.WriteAllTextAsync(report, await output);
        var text = await output;
        var start = text.IndexOf('{');
        Assert.True(start >= 0, $"redocly printed no report (exit {lint.ExitCode}): {text} {await errors}");
        using var json = JsonDocument.Parse(text[start..]);
        return json.RootElement.GetProperty("problems").EnumerateArray()
            .Select(p => $"{p.GetProperty("severity").GetString()} {p.GetProperty("ruleId").GetString()} {p.GetProperty("message").GetString()} ({string.Join(", ", p.GetProperty("location").EnumerateArray().Select(l => l.GetProperty("pointer").GetString()))})")
            .ToList();
    }
}
