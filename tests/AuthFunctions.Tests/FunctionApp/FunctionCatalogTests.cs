using System.Text.Json;
using AuthFunctions.Http.Routing;

namespace AuthFunctions.Tests.FunctionApp;

public sealed class FunctionCatalogTests
{
    /// <summary>What the Functions host receives at start-up: (name, METHOD or *, route) of every HTTP function.</summary>
    internal static async Task<List<(string Name, string Method, string Route)>> HttpCatalogAsync()
    {
        var metadata = await new AuthFunctions.FunctionApp.GeneratedFunctionMetadataProvider().GetFunctionMetadataAsync(AppContext.BaseDirectory);
        var catalog = new List<(string, string, string)>();
        foreach (var function in metadata)
        {
            var trigger = function.RawBindings!
                .Select(raw => JsonDocument.Parse(raw).RootElement)
                .Single(binding => binding.GetProperty("direction").GetString() == "In");
            Assert.Equal("httpTrigger", trigger.GetProperty("type").GetString());
            Assert.Equal("Anonymous", trigger.GetProperty("authLevel").GetString());
            var route = trigger.GetProperty("route").GetString()!;
            if (trigger.TryGetProperty("methods", out var methods))
            {
                catalog.AddRange(methods.EnumerateArray().Select(m => (function.Name!, m.GetString()!.ToUpperInvariant(), route)));
            }
            else
            {
                catalog.Add((function.Name!, "*", route));
            }
        }

        return catalog;
    }

    [Fact]
    public async Task The_generated_function_catalog_is_exactly_the_route_table()
    {
        var expected = RouteTable.All.Append(RouteTable.Fallback).Select(r => (r.Name, r.Method, r.FunctionRoute)).Order().ToList();

        var actual = (await HttpCatalogAsync()).Order().ToList();

        Assert.Equal(expected, actual);
    }

    [Fact]
    public async Task Every_function_entry_point_is_a_thin_class_of_the_Function_app()
    {
        var metadata = await new AuthFunctions.FunctionApp.GeneratedFunctionMetadataProvider().GetFunctionMetadataAsync(AppContext.BaseDirectory);

        Assert.All(metadata, f =>
        {
            Assert.Equal("dotnet-isolated", f.Language);
            Assert.Equal("AuthFunctions.FunctionApp.dll", f.ScriptFile);
            Assert.Equal($"AuthFunctions.FunctionApp.{f.Name}Function.Run", f.EntryPoint);
        });
    }

    [Fact]
    public async Task No_function_route_starts_with_a_word_the_Functions_host_reserves()
    {
        // azure-functions-host refuses routes whose text starts with "admin" or "runtime" at start-up.
        var routes = (await HttpCatalogAsync()).Select(f => f.Route).ToList();

        Assert.Contains("{scope:regex(^admin$)}/magma-keys/{name}", routes);
        Assert.DoesNotContain(routes, r => r.Trim('/').StartsWith("admin", StringComparison.OrdinalIgnoreCase)
            || r.Trim('/').StartsWith("runtime", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("/admin/magma-keys/k1", true, "k1")]
    [InlineData("/admin/users", false, null)]
    [InlineData("/administrator/magma-keys/k1", false, null)]
    [InlineData("/other/magma-keys/k1", false, null)]
    public void The_host_safe_route_serves_exactly_the_contract_path(string path, bool matches, string? name)
    {
        var route = Microsoft.AspNetCore.Routing.Patterns.RoutePatternFactory.Parse(AuthFunctions.Http.Administration.MagmaKeyEndpoints.Delete.FunctionRoute);
        var values = new Microsoft.AspNetCore.Routing.RouteValueDictionary();
        var matcher = new Microsoft.AspNetCore.Routing.Template.TemplateMatcher(
            new Microsoft.AspNetCore.Routing.Template.RouteTemplate(route), new Microsoft.AspNetCore.Routing.RouteValueDictionary());

        var matched = matcher.TryMatch(path, values)
            && System.Text.RegularExpressions.Regex.IsMatch((string)values["scope"]!, "^admin$");

        Assert.Equal(matches, matched);
        Assert.Equal(name, matched ? values["name"] as string : null);
    }
}
