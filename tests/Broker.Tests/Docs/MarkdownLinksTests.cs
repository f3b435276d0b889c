namespace Broker.Tests.Docs;

/// <summary>The repository's documents link only inside the repository, to what is there: a clone holds all it points to.</summary>
public sealed class MarkdownLinksTests
{
    private static readonly string Readme = Path.Combine(RepoPaths.Root, "README.md");

    [Fact]
    public void Links_InEveryMarkdownFileOfTheRepository_StayInsideAndExist()
    {
        var files = MarkdownLinks.FilesUnder(RepoPaths.Root).ToList();

        var unfollowable = files.SelectMany(f => MarkdownLinks.Unfollowable(f, File.ReadAllText(f), RepoPaths.Root)).ToList();

        Assert.Contains(Readme, files);
        Assert.Contains(Path.Combine(RepoPaths.Root, "docs", "operations.md"), files);
        Assert.True(unfollowable.Count == 0, $"{unfollowable.Count} links a clone cannot follow:\n{string.Join('\n', unfollowable)}");
    }

    [Theory]
    [InlineData("[the design](../shared/DESIGN.md)", "leaves the repository")]
    [InlineData("see [API](../shared/API.md#requests) too", "leaves the repository")]
    [InlineData("[design]: ../shared/DESIGN.md", "leaves the repository")]
    [InlineData("[notes](/work/shared/DESIGN.md)", "is an absolute path, not one inside the repository")]
    [InlineData("[notes](file:///work/shared/DESIGN.md)", "is a local URL outside the repository")]
    [InlineData("[gone](docs/no-such-page.md)", "does not exist")]
    [InlineData("![chart](docs/performance/none.png)", "does not exist")]
    public void Unfollowable_ALinkAcloneCannotFollow_IsReportedWithWhy(string markdown, string why)
    {
        var found = Assert.Single(MarkdownLinks.Unfollowable(Readme, markdown, RepoPaths.Root));

        Assert.EndsWith(why, found, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[decisions](docs/decision-path.md#what-happens-after-a-crash)")]
    [InlineData("[docs](docs/) and [the tests](tests/Broker.Tests/)")]
    [InlineData("[Orleans](https://learn.microsoft.com/dotnet/orleans/) and [below](#configuration)")]
    [InlineData("`[not a link](../shared/DESIGN.md)` in code")]
    [InlineData("```\n[not a link](../shared/API.md)\n```")]
    public void Unfollowable_LinksInsideTheRepositoryTheWebOrCode_AreNotReported(string markdown)
    {
        Assert.Empty(MarkdownLinks.Unfollowable(Readme, markdown, RepoPaths.Root));
    }
}
