using System.Text.RegularExpressions;

namespace Broker.Tests.Docs;

/// <summary>
/// Finds the links of a Markdown document that a clone of the repository cannot follow: relative links that resolve
/// outside the repository's root, absolute file paths, <c>file:</c> URLs, and links to files or folders that do not
/// exist. Web links (<c>https:</c>, <c>mailto:</c>) and anchors within the document are not its business.
/// </summary>
internal static partial class MarkdownLinks
{
    /// <summary>The Markdown files of the repository, build output, local state and installed tools left out.</summary>
    public static IEnumerable<string> FilesUnder(string root)
    {
        var skipped = new HashSet<string>(StringComparer.Ordinal) { ".git", ".data", "bin", "obj", "node_modules", "TestResults" };
        var pending = new Stack<string>([root]);
        while (pending.TryPop(out var directory))
        {
            foreach (var file in System.IO.Directory.EnumerateFiles(directory, "*.md"))
            {
                yield return file;
            }

            foreach (var child in System.IO.Directory.EnumerateDirectories(directory).Where(d => !skipped.Contains(Path.GetFileName(d))))
            {
                pending.Push(child);
            }
        }
    }

    /// <summary>Each link of <paramref name="markdown"/> (the text of <paramref name="file"/>) that a clone cannot follow, with why.</summary>
    public static IEnumerable<string> Unfollowable(string file, string markdown, string root)
    {
        // Links inside code are examples, not links.
        var text = InlineCode().Replace(FencedCode().Replace(markdown, ""), "");
        var targets = InlineLink().Matches(text).Select(m => m.Groups["target"].Value)
            .Concat(ReferenceDefinition().Matches(text).Select(m => m.Groups["target"].Value));
        foreach (var target in targets)
        {
            if (Why(file, target, root) is { } why)
            {
                yield return $"{Path.GetRelativePath(root, file)}: ({target}) {why}";
            }
        }
    }

    private static string? Why(string file, string target, string root)
    {
        if (target.StartsWith('#'))
        {
            return null;
        }

        if (Scheme().Match(target) is { Success: true } scheme)
        {
            return scheme.Value.ToLowerInvariant() is "http:" or "https:" or "mailto:" ? null : "is a local URL outside the repository";
        }

        var path = Uri.UnescapeDataString(target.Split('#', '?')[0]);
        if (Path.IsPathRooted(path))
        {
            return "is an absolute path, not one inside the repository";
        }

        var resolved = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, path));
        if (resolved != root && !resolved.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            return "leaves the repository";
        }

        return File.Exists(resolved) || System.IO.Directory.Exists(resolved) ? null : "does not exist";
    }

    [GeneratedRegex(@"^(```|~~~).*?^\1", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex FencedCode();

    [GeneratedRegex(@"`[^`\n]*`")]
    private static partial Regex InlineCode();

    // [text](target) and ![alt](target "title"); the text may hold one level of brackets.
    [GeneratedRegex(@"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?(?<target>[^)\s>]+)>?(?:\s+""[^""]*"")?\s*\)")]
    private static partial Regex InlineLink();

    [GeneratedRegex(@"^\s{0,3}\[[^\]]+\]:\s*<?(?<target>[^\s>]+)>?", RegexOptions.Multiline)]
    private static partial Regex ReferenceDefinition();

    [GeneratedRegex(@"^[a-zA-Z][a-zA-Z0-9+.-]*:")]
    private static partial Regex Scheme();
}
