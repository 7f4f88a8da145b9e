using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace AuthFunctions.Tests.Scripts;

/// <summary>
/// The README's walk-throughs as a script: the <c>```bash</c> blocks between the walk-through markers,
/// in order, cut into segments that end with the <c>#&gt;</c> lines claiming their output
/// (<c>…</c> stands for any text). Run in one bash, as a reader pasting them into one shell would.
/// </summary>
internal sealed partial class Walkthrough
{
    public const string Start = "<!-- walk-throughs:start -->";
    public const string End = "<!-- walk-throughs:end -->";

    private const string Claim = "#>";
    private const string SegmentMark = "@@walk-through segment@@";

    private Walkthrough(IReadOnlyList<Segment> segments) => Segments = segments;

    public IReadOnlyList<Segment> Segments { get; }

    public static Walkthrough Parse(string markdown)
    {
        var start = markdown.IndexOf(Start, StringComparison.Ordinal);
        var end = markdown.IndexOf(End, StringComparison.Ordinal);
        if (start < 0 || end < start)
        {
            throw new InvalidOperationException($"The markdown has no {Start} … {End} section.");
        }

        var segments = new List<Segment>();
        foreach (Match block in BashBlock().Matches(markdown[start..end]))
        {
            var commands = new List<string>();
            var claimed = new List<string>();
            foreach (var line in block.Groups["body"].Value.Split('\n').Select(l => l.TrimEnd('\r')))
            {
                if (line.StartsWith(Claim, StringComparison.Ordinal))
                {
                    claimed.Add(line.Length > Claim.Length ? line[(Claim.Length + 1)..] : string.Empty);
                    continue;
                }

                if (claimed.Count > 0)
                {
                    segments.Add(new Segment(commands, claimed));
                    (commands, claimed) = ([], []);
                }

                commands.Add(line);
            }

            segments.Add(new Segment(commands, claimed));
        }

        return new Walkthrough(segments);
    }

    /// <summary>
    /// Runs every segment in one <c>bash</c> (with <c>set -euo pipefail</c>, so an unset variable or a failed
    /// command stops it) and returns what went wrong: an exit code other than 0, or a segment whose output is
    /// not what it claims. <paramref name="replace"/> rewrites commands and claims alike (the URL, say).
    /// </summary>
    public async Task<IReadOnlyList<string>> RunAsync(
        string workingDirectory, IDictionary<string, string> environment, Func<string, string> replace, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var script = new StringBuilder("set -euo pipefail\n");
        foreach (var segment in Segments)
        {
            script.Append("echo '").Append(SegmentMark).Append("'\n");
            script.AppendJoin('\n', segment.Commands.Select(replace)).Append('\n');
        }

        var start = new ProcessStartInfo("bash")
        {
            ArgumentList = { "-c", script.ToString() },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start.");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            return [$"The walk-through did not end within {timeout}; its output:\n{await output}\n{await errors}"];
        }

        var printed = (await output).Split(SegmentMark + "\n");
        var failures = new List<string>();
        for (var i = 0; i < Segments.Count; i++)
        {
            var actual = i + 1 < printed.Length ? printed[i + 1].TrimEnd('\n').Split('\n') : ["(the walk-through stopped before this segment)"];
            var claimed = Segments[i].Claimed.Select(replace).ToList();
            if (claimed.Count > 0 && !Matches(claimed, actual))
            {
                failures.Add($"""
                    After
                    {string.Join('\n', Segments[i].Commands.Select(replace))}
                    the walk-through claims
                    {string.Join('\n', claimed)}
                    but printed
                    {string.Join('\n', actual)}
                    """);
            }
        }

        if (process.ExitCode != 0)
        {
            failures.Add($"The walk-through's shell exited with {process.ExitCode}; standard error:\n{await errors}");
        }

        return failures;
    }

    private static bool Matches(List<string> claimed, string[] actual) =>
        claimed.Count == actual.Length && claimed.Zip(actual).All(pair => Pattern(pair.First).IsMatch(pair.Second));

    private static Regex Pattern(string claim) =>
        new("^" + string.Join(".*", claim.Split('…').Select(Regex.Escape)) + "$", RegexOptions.CultureInvariant);

    [GeneratedRegex(@"^```bash\n(?<body>.*?)^```$", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex BashBlock();

    /// <summary>Commands, then the lines they claim to print (none: not checked).</summary>
    internal sealed record Segment(IReadOnlyList<string> Commands, IReadOnlyList<string> Claimed);
}
