using System.Text.RegularExpressions;
using AuthFunctions.Tests.Infrastructure;

namespace AuthFunctions.Tests.Scripts;

/// <summary>The README's walk-throughs, pasted in order into one shell against a fresh <c>./run.sh</c>, print what they claim.</summary>
[Collection(RunScript.Collection)]
public sealed partial class WalkthroughTests : IDisposable
{
    private const string ReadmeUrl = "http://127.0.0.1:7071";

    private readonly string dataFolder = Path.Combine(Path.GetTempPath(), "authfn-walk-" + Guid.NewGuid().ToString("N")[..12]);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        if (Directory.Exists(dataFolder))
        {
            Directory.Delete(dataFolder, recursive: true);
        }
    }

    [Fact]
    public async Task The_README_walk_throughs_run_top_to_bottom_in_one_shell_and_print_what_they_claim()
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "README.md"), Ct);
        var password = StartLine().Match(readme);
        Assert.True(password.Success, "The README starts the backend with Bootstrap__SuperUser__Password='…' ./run.sh.");
        var walkthrough = Walkthrough.Parse(readme);
        Assert.Single(walkthrough.Segments.SelectMany(s => s.Commands), line => line == $"BASE={ReadmeUrl}");
        Assert.True(walkthrough.Segments.Count(s => s.Claimed.Count > 0) >= 20, "The walk-throughs claim their outputs.");

        await using var run = RunScript.Start(dataFolder, new Dictionary<string, string> { ["Bootstrap__SuperUser__Password"] = password.Groups["password"].Value });
        await run.WaitForAsync("Now listening on:", TimeSpan.FromMinutes(3));

        // The second terminal: the clone's folder, the same data folder, the URL this run.sh listens on.
        var failures = await walkthrough.RunAsync(
            RepositoryPaths.Root,
            new Dictionary<string, string> { ["AUTHFN_DATA_DIR"] = dataFolder },
            text => text.Replace(ReadmeUrl, run.BaseUrl, StringComparison.Ordinal),
            TimeSpan.FromMinutes(3),
            Ct);

        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }

    [Fact]
    public async Task A_claim_that_the_output_does_not_match_fails_and_an_ellipsis_matches_any_text()
    {
        var walkthrough = Walkthrough.Parse($"""
            {Walkthrough.Start}
            ```bash
            GREETING=hello
            echo "$GREETING, world"
            #> hello…
            echo one; echo two
            #> one
            #> three
            echo not checked
            ```
            {Walkthrough.End}
            """);

        var failures = await walkthrough.RunAsync(Path.GetTempPath(), new Dictionary<string, string>(), text => text, TimeSpan.FromSeconds(30), Ct);

        Assert.Equal(3, walkthrough.Segments.Count);
        var failure = Assert.Single(failures);
        Assert.Contains("three", failure, StringComparison.Ordinal);
        Assert.Contains("printed\none\ntwo", failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unset_variable_stops_the_walk_through_and_fails_it()
    {
        var walkthrough = Walkthrough.Parse($"""
            {Walkthrough.Start}
            ```bash
            echo "$NOTHING_SETS_THIS"
            #> …
            ```
            {Walkthrough.End}
            """);

        var failures = await walkthrough.RunAsync(Path.GetTempPath(), new Dictionary<string, string>(), text => text, TimeSpan.FromSeconds(30), Ct);

        Assert.Contains(failures, f => f.Contains("NOTHING_SETS_THIS", StringComparison.Ordinal) && f.Contains("exited with", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"^Bootstrap__SuperUser__Password='(?<password>[^']+)' \./run\.sh$", RegexOptions.Multiline)]
    private static partial Regex StartLine();
}
