using AuthFunctions.Http.Routing;
using AuthFunctions.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace AuthFunctions.Tests.FunctionApp;

/// <summary>The README's table of the Function app's functions is the route table's, line for line.</summary>
public sealed class ReadmeFunctionTableTests
{
    private const string Begin = "<!-- functions: generated from RouteTable.Functions, checked by ReadmeFunctionTableTests -->";

    private const string End = "<!-- /functions -->";

    private static readonly string[] MethodOrder = [HttpMethods.Get, HttpMethods.Post, HttpMethods.Put, HttpMethods.Patch, HttpMethods.Delete];

    /// <summary>One line per function: its name, the public path template, the methods the table answers there (any other is a 405).</summary>
    internal static IReadOnlyList<string> ExpectedLines()
    {
        var lines = new List<string> { "| function | path | methods |", "|---|---|---|" };
        foreach (var function in RouteTable.Functions)
        {
            if (function.Pattern == RouteTable.FallbackPattern)
            {
                lines.Add($"| `{function.Name}` | any other path | all (404) |");
                continue;
            }

            var methods = RouteTable.All.Where(r => r.Pattern == function.Pattern).Select(r => r.Method)
                .OrderBy(m => Array.IndexOf(MethodOrder, m));
            lines.Add($"| `{function.Name}` | `/{function.Template}` | {string.Join(", ", methods)} |");
        }

        return lines;
    }

    [Fact]
    public void The_README_lists_each_function_with_the_routes_it_serves()
    {
        var readme = File.ReadAllLines(Path.Combine(RepositoryPaths.Root, "README.md"));
        var begin = Array.IndexOf(readme, Begin);
        var end = Array.IndexOf(readme, End);
        Assert.True(begin >= 0 && end > begin, $"README.md lacks the function table between '{Begin}' and '{End}'.");

        var actual = readme[(begin + 1)..end];

        Assert.True(ExpectedLines().SequenceEqual(actual), "README.md's function table differs from the route table; it should read:\n" + string.Join('\n', ExpectedLines()));
    }
}
