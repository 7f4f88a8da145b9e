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
        var expected = RouteTable.All.Append(RouteTable.Fallback).Select(r => (r.Name, r.Method, r.Pattern)).Order().ToList();

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
}
