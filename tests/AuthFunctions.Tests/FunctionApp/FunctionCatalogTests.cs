using System.Text.Json;
using System.Text.RegularExpressions;
using AuthFunctions.Http.Routing;
using AuthFunctions.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.AspNetCore.Routing.Template;

namespace AuthFunctions.Tests.FunctionApp;

/// <summary>What the Functions host reads at start-up: <c>functions.metadata</c> in the Function app's output.</summary>
public sealed class FunctionCatalogTests
{
    private static readonly string OutputFolder = Path.GetDirectoryName(typeof(AuthFunctions.FunctionApp.FunctionAppHost).Assembly.Location)!;

    /// <summary>One HTTP function as the host sees it: name, declared methods (empty: every method), route template.</summary>
    internal sealed record HostFunction(string Name, IReadOnlyList<string> Methods, string Route, string EntryPoint, string ScriptFile, string Language);

    /// <summary>The trigger binding of every function of the <c>functions.metadata</c> that the build wrote beside the Function app.</summary>
    internal static IReadOnlyList<(string Name, JsonElement Trigger)> Triggers()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(OutputFolder, "functions.metadata")));
        return [.. document.RootElement.EnumerateArray().Select(function => (
            function.GetProperty("name").GetString()!,
            function.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("direction").GetString() == "In").Clone()))];
    }

    /// <summary>Every HTTP function of the <c>functions.metadata</c> that the build wrote beside the Function app.</summary>
    internal static IReadOnlyList<HostFunction> HttpCatalog()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(OutputFolder, "functions.metadata")));
        var catalog = new List<HostFunction>();
        foreach (var function in document.RootElement.EnumerateArray())
        {
            var trigger = function.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("direction").GetString() == "In");
            if (trigger.GetProperty("type").GetString() != "httpTrigger")
            {
                continue;
            }

            Assert.Equal("Anonymous", trigger.GetProperty("authLevel").GetString());
            var methods = trigger.TryGetProperty("methods", out var declared) && declared.ValueKind == JsonValueKind.Array
                ? declared.EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant()).ToList()
                : [];
            catalog.Add(new HostFunction(
                function.GetProperty("name").GetString()!,
                methods,
                trigger.GetProperty("route").GetString()!,
                function.GetProperty("entryPoint").GetString()!,
                function.GetProperty("scriptFile").GetString()!,
                function.GetProperty("language").GetString()!));
        }

        return catalog;
    }

    [Fact]
    public void Every_function_is_an_http_route_but_the_purge_timer_which_reads_its_schedule_setting_and_never_runs_on_startup()
    {
        var others = Triggers().Where(t => t.Trigger.GetProperty("type").GetString() != "httpTrigger").ToList();

        var (name, timer) = Assert.Single(others);
        Assert.Equal(("Purge", "timerTrigger"), (name, timer.GetProperty("type").GetString()));
        Assert.Equal("%Purge:Schedule%", timer.GetProperty("schedule").GetString());
        Assert.False(timer.GetProperty("runOnStartup").GetBoolean());
        Assert.Equal(RouteTable.Functions.Count, HttpCatalog().Count);
    }

    [Fact]
    public void The_full_build_writes_the_files_the_host_reads_beside_the_Function_app()
    {
        var appOutput = Path.Combine(RepositoryPaths.Root, "src", "AuthFunctions.FunctionApp", "bin", "Release", "net10.0");

        foreach (var file in new[] { "functions.metadata", "worker.config.json", "extensions.json" })
        {
            Assert.True(File.Exists(Path.Combine(appOutput, file)), $"{file} is missing from {appOutput}: the Worker SDK's full build did not run.");
        }

        Assert.Equal(File.ReadAllText(Path.Combine(appOutput, "functions.metadata")), File.ReadAllText(Path.Combine(OutputFolder, "functions.metadata")));
        using var worker = JsonDocument.Parse(File.ReadAllText(Path.Combine(appOutput, "worker.config.json")));
        Assert.Equal("AuthFunctions.FunctionApp.dll", worker.RootElement.GetProperty("description").GetProperty("defaultWorkerPath").GetString());
    }

    [Fact]
    public void The_function_catalog_is_exactly_the_route_tables_functions()
    {
        var expected = RouteTable.Functions.Select(f => (f.Name, f.Pattern)).Order().ToList();

        var actual = HttpCatalog().Select(f => (f.Name, f.Route)).Order().ToList();

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Each_template_of_the_route_table_has_exactly_one_function_and_each_function_a_template_of_the_table()
    {
        var templates = RouteTable.All.Select(r => r.Pattern).Append(RouteTable.FallbackPattern).Distinct().Order(StringComparer.Ordinal).ToList();

        Assert.Equal(templates, RouteTable.Functions.Select(f => f.Pattern).Order(StringComparer.Ordinal));
        Assert.Equal(templates.Count, templates.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Equal(templates.Count, RouteTable.Functions.Select(f => f.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public void Every_function_accepts_every_method_so_that_the_route_table_decides()
    {
        // A method list on a function would let the host refuse a request with its own bare 404/405
        // before the route table could answer it (or hand it to the right handler).
        Assert.All(HttpCatalog(), f => Assert.Empty(f.Methods));
    }

    [Fact]
    public void Every_function_entry_point_is_a_thin_class_of_the_Function_app()
    {
        Assert.All(HttpCatalog(), f =>
        {
            Assert.Equal("dotnet-isolated", f.Language);
            Assert.Equal("AuthFunctions.FunctionApp.dll", f.ScriptFile);
            Assert.Equal($"AuthFunctions.FunctionApp.{f.Name}Function.Run", f.EntryPoint);
        });
    }

    [Theory]
    [InlineData("/admin/magma-keys/k1", true, "k1")]
    [InlineData("/admin/users", false, null)]
    [InlineData("/administrator/magma-keys/k1", false, null)]
    [InlineData("/other/magma-keys/k1", false, null)]
    public void The_host_safe_route_serves_exactly_the_contract_path(string path, bool matches, string? name)
    {
        var values = new RouteValueDictionary();

        var matched = HostMatches(AuthFunctions.Http.Administration.MagmaKeyEndpoints.KeyPattern, path, values);

        Assert.Equal(matches, matched);
        Assert.Equal(name, matched ? values["name"] as string : null);
    }

    /// <summary>
    /// The host's rule: the route template decides, inline regex constraints included, methods do not.
    /// </summary>
    internal static bool HostMatches(string route, string path, RouteValueDictionary values)
    {
        var pattern = RoutePatternFactory.Parse(route);
        if (!new TemplateMatcher(new RouteTemplate(pattern), new RouteValueDictionary()).TryMatch(path, values))
        {
            return false;
        }

        foreach (var (parameter, policies) in pattern.ParameterPolicies)
        {
            foreach (var policy in policies)
            {
                var regex = Regex.Match(policy.Content ?? string.Empty, @"^regex\((.*)\)$");
                if (regex.Success && !Regex.IsMatch(values[parameter] as string ?? string.Empty, regex.Groups[1].Value, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant))
                {
                    return false;
                }
            }
        }

        return true;
    }
}
