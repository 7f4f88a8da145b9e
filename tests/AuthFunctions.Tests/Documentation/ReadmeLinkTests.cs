using System.Text;
using System.Text.RegularExpressions;
using AuthFunctions.Tests.Infrastructure;

namespace AuthFunctions.Tests.Documentation;

/// <summary>
/// Every relative link and <c>#anchor</c> in README.md and docs/**.md resolves inside the repository,
/// as GitHub renders it: a clone has nothing beside it, so a link out of the repository is broken too.
/// </summary>
public sealed partial class ReadmeLinkTests
{
    [Fact]
    public void Every_relative_link_in_the_README_and_docs_resolves()
    {
        var root = RepositoryPaths.Root;
        var files = new List<string> { Path.Combine(root, "README.md") };
        files.AddRange(Directory.EnumerateFiles(Path.Combine(root, "docs"), "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal));

        var broken = files.SelectMany(file => BrokenLinks(root, file, File.ReadAllText(file))).ToList();

        Assert.True(broken.Count == 0, "Broken links:\n" + string.Join('\n', broken));
    }

    [Fact]
    public void A_missing_file_an_unknown_anchor_and_a_link_out_of_the_repository_are_each_reported()
    {
        var root = RepositoryPaths.Root;
        const string Text = """
            # Title
            ## Same `name`: here
            ## Same name here
            [ok](#title) [ok](#same-name-here) [ok](#same-name-here-1) [ok](README.md#glossary) [ok](https://example.com/x.md)
            [no anchor](#nowhere) [no file](docs/missing.md) [outside](../shared/design.md) [no anchor there](README.md#nowhere)
            `[in code](#ignored)`

            ```
            [in a block](#ignored-too)
            ```
            """;

        var broken = BrokenLinks(root, Path.Combine(root, "CHECK.md"), Text);

        Assert.Equal(new[] { "CHECK.md: #nowhere", "CHECK.md: docs/missing.md", "CHECK.md: ../shared/design.md", "CHECK.md: README.md#nowhere" }, broken);
    }

    /// <summary>The links of one Markdown file (outside code) that do not resolve, as "file: target".</summary>
    internal static IEnumerable<string> BrokenLinks(string root, string file, string text)
    {
        var name = Path.GetRelativePath(root, file);
        foreach (Match link in Link().Matches(WithoutCode(text)))
        {
            var target = link.Groups["target"].Value;
            if (Scheme().IsMatch(target))
            {
                continue;
            }

            var hash = target.IndexOf('#', StringComparison.Ordinal);
            var path = hash < 0 ? target : target[..hash];
            var anchor = hash < 0 ? null : target[(hash + 1)..];
            var resolved = path.Length == 0 ? file : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, Uri.UnescapeDataString(path)));

            var inside = resolved.StartsWith(root.TrimEnd('/') + "/", StringComparison.Ordinal);
            var exists = inside && (File.Exists(resolved) || Directory.Exists(resolved) || resolved == file);
            var anchored = anchor is null
                || (exists && resolved.EndsWith(".md", StringComparison.Ordinal)
                    && Anchors(resolved == file ? text : File.ReadAllText(resolved)).Contains(anchor));
            if (!exists || !anchored)
            {
                yield return $"{name}: {target}";
            }
        }
    }

    /// <summary>GitHub's heading anchors: the heading's text in lower case, without punctuation, spaces as hyphens, repeats numbered.</summary>
    internal static HashSet<string> Anchors(string text)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in WithoutFences(text).Split('\n'))
        {
            var heading = Heading().Match(line);
            if (!heading.Success)
            {
                continue;
            }

            var title = LinkText().Replace(heading.Groups["title"].Value.Trim(), "$1");
            var slug = new StringBuilder();
            foreach (var c in title.ToLowerInvariant())
            {
                if (char.IsLetterOrDigit(c) || c is '-' or '_')
                {
                    slug.Append(c);
                }
                else if (c == ' ')
                {
                    slug.Append('-');
                }
            }

            var anchor = slug.ToString();
            for (var n = 1; !anchors.Add(anchor); n++)
            {
                anchor = $"{slug}-{n}";
            }
        }

        return anchors;
    }

    /// <summary>The text with fenced blocks blanked, line for line.</summary>
    private static string WithoutFences(string text)
    {
        var lines = text.Split('\n');
        var fenced = false;
        for (var i = 0; i < lines.Length; i++)
        {
            var fence = lines[i].TrimStart().StartsWith("```", StringComparison.Ordinal);
            if (fenced || fence)
            {
                lines[i] = "";
            }

            if (fence)
            {
                fenced = !fenced;
            }
        }

        return string.Join('\n', lines);
    }

    /// <summary>The text without fenced blocks and without code spans (a link's text may hold one; the span goes, the link stays).</summary>
    private static string WithoutCode(string text) => CodeSpan().Replace(WithoutFences(text), "");

    [GeneratedRegex(@"`[^`]*`", RegexOptions.CultureInvariant)]
    private static partial Regex CodeSpan();

    [GeneratedRegex(@"!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]\((?<target>[^)\s]+)(?:\s+""[^""]*"")?\)", RegexOptions.CultureInvariant)]
    private static partial Regex Link();

    [GeneratedRegex(@"^[a-z][a-z0-9+.-]*:", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex Scheme();

    [GeneratedRegex(@"^#{1,6}\s+(?<title>.+?)\s*#*\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex Heading();

    [GeneratedRegex(@"!?\[([^\]]*)\]\([^)]*\)", RegexOptions.CultureInvariant)]
    private static partial Regex LinkText();
}
