using System.Text.RegularExpressions;
using AuthFunctions.Http.Routing;
using Microsoft.AspNetCore.Routing;
using static AuthFunctions.Tests.FunctionApp.FunctionCatalogTests;

namespace AuthFunctions.Tests.FunctionApp;

/// <summary>
/// The real Functions host's three rules for HTTP functions (design.md, "The real host (4.x) applies
/// three rules"), replayed over the <c>functions.metadata</c> the build wrote. Each rule is written from
/// the host's source (azure-functions-host 4.1037): a break of any of them passes every other test here
/// and still leaves functions in error, or requests logged under the wrong function, in Azure.
/// </summary>
public sealed partial class HostRulesTests
{
    /// <summary>
    /// <c>FunctionMetadataManager</c>: functions go to the host sorted by name, <c>OrdinalIgnoreCase</c>;
    /// their routes enter one route collection in that order.
    /// </summary>
    internal static IReadOnlyList<HostFunction> HostOrder() =>
        [.. HttpCatalog().OrderBy(f => f.Name, StringComparer.OrdinalIgnoreCase)];

    /// <summary>
    /// <c>ScriptHost.HttpRoutesConflict</c>: equal routes (trimmed of '/', ignoring case) conflict unless
    /// both functions declare methods and no method is in both lists; no methods means every method.
    /// </summary>
    internal static bool HttpRoutesConflict(HostFunction function, HostFunction other)
    {
        if (!string.Equals(function.Route.Trim('/'), other.Route.Trim('/'), StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return function.Methods.Count == 0 || other.Methods.Count == 0 || function.Methods.Intersect(other.Methods).Any();
    }

    /// <summary>
    /// <c>ScriptHost.ValidateFunction</c>, in the host's order: a function whose route conflicts with one
    /// accepted before it is put in error (and serves nothing); the rest are accepted.
    /// </summary>
    internal static (IReadOnlyList<HostFunction> Accepted, IReadOnlyList<string> InError) Validate(IReadOnlyList<HostFunction> ordered)
    {
        var accepted = new List<HostFunction>();
        var inError = new List<string>();
        foreach (var function in ordered)
        {
            var conflict = accepted.FirstOrDefault(other => HttpRoutesConflict(function, other));
            if (conflict is not null)
            {
                inError.Add($"{function.Name} ({function.Route}) conflicts with {conflict.Name}");
                continue;
            }

            accepted.Add(function);
        }

        return (accepted, inError);
    }

    /// <summary>
    /// The function the host invokes for <paramref name="method"/> and <paramref name="path"/>: the first
    /// accepted function, in order, whose route template matches, inline constraints included; a method
    /// constraint exists only where a function declares methods (<c>WebScriptHostHttpRoutesManager</c>).
    /// </summary>
    internal static HostFunction? Invoked(IReadOnlyList<HostFunction> accepted, string method, string path) =>
        accepted.FirstOrDefault(f =>
            (f.Methods.Count == 0 || f.Methods.Contains(method, StringComparer.OrdinalIgnoreCase))
            && HostMatches(f.Route, path, new RouteValueDictionary()));

    /// <summary>A path that the route's template matches, each parameter filled with a sample value.</summary>
    internal static string SamplePath(AuthRoute route) =>
        "/" + ParameterRegex().Replace(route.Template, match => "sample-" + match.Groups[1].Value);

    internal static readonly string[] Methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"];

    /// <summary>Paths of no route of the table: only the catch-all may take them.</summary>
    public static TheoryData<string> UnmatchedPaths() =>
    [
        "/", "/no/such/path", "/admin", "/admin/users/u1/extra", "/admin/magma-keys/k/assertion-keys",
        "/tenants/t1/unknown", "/rs/tokens/a/b", "/runtime/status", "/api/authentication", "/oauth2",
        "/.well-known/other", "/healthz",
    ];

    [Fact]
    public void No_function_is_put_in_error_for_a_route_that_conflicts_with_another()
    {
        var (_, inError) = Validate(HostOrder());

        Assert.Empty(inError);
    }

    [Fact]
    public void The_conflict_rule_is_the_hosts_equal_routes_ignoring_case_and_slashes_unless_methods_are_disjoint()
    {
        static HostFunction F(string name, string route, params string[] methods) => new(name, methods, route, "e", "s", "l");

        Assert.True(HttpRoutesConflict(F("a", "x/{id}"), F("b", "/X/{ID}/")));
        Assert.True(HttpRoutesConflict(F("a", "x", "GET"), F("b", "x")));
        Assert.True(HttpRoutesConflict(F("a", "x", "GET", "PUT"), F("b", "x", "PUT")));
        Assert.False(HttpRoutesConflict(F("a", "x", "GET"), F("b", "x", "DELETE")));
        Assert.False(HttpRoutesConflict(F("a", "x/{id}"), F("b", "x/{name}")));
        var (accepted, inError) = Validate([F("Alpha", "x"), F("beta", "X/"), F("Gamma", "y")]);
        Assert.Equal(["Alpha", "Gamma"], accepted.Select(f => f.Name));
        Assert.Equal(["beta (X/) conflicts with Alpha"], inError);
    }

    [Fact]
    public void No_route_starts_with_a_prefix_the_host_reserves_and_every_name_is_one_the_host_accepts()
    {
        // ScriptHost.ValidateHttpFunction: the route trimmed of '/' and lower-cased must not start with
        // "admin" or "runtime". Utility.IsValidFunctionName: a letter, then letters, digits, '_' or '-'.
        var catalog = HttpCatalog();

        Assert.All(catalog, f =>
        {
            var route = f.Route.Trim('/').ToLowerInvariant();
            Assert.False(route.StartsWith("admin", StringComparison.Ordinal) || route.StartsWith("runtime", StringComparison.Ordinal), $"{f.Name}: {f.Route}");
            Assert.Matches(FunctionNameRegex(), f.Name);
        });
        Assert.Equal(catalog.Count, catalog.Select(f => f.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public void The_catch_all_sorts_after_every_other_function()
    {
        var ordered = HostOrder();

        Assert.Equal(RouteTable.FallbackPattern, ordered[^1].Route);
        Assert.Single(ordered, f => f.Route == RouteTable.FallbackPattern);
    }

    [Fact]
    public void For_every_route_and_method_the_host_invokes_the_function_of_that_routes_template()
    {
        var (accepted, _) = Validate(HostOrder());

        var wrong = new List<string>();
        foreach (var route in RouteTable.All)
        {
            var path = SamplePath(route);
            foreach (var method in Methods)
            {
                var invoked = Invoked(accepted, method, path);
                if (invoked is null || !string.Equals(invoked.Route, route.Pattern, StringComparison.OrdinalIgnoreCase))
                {
                    wrong.Add($"{method} {path}: invokes {invoked?.Name ?? "nothing"} ({invoked?.Route}), not the function of {route.Pattern}");
                }
            }
        }

        Assert.Empty(wrong);
    }

    [Theory]
    [MemberData(nameof(UnmatchedPaths))]
    public void A_path_of_no_route_is_invoked_as_the_catch_all(string path)
    {
        var (accepted, _) = Validate(HostOrder());

        Assert.DoesNotContain(RouteTable.All, r => r.TryMatch(path, new RouteValueDictionary()));
        Assert.All(Methods, method => Assert.Equal(RouteTable.FallbackPattern, Invoked(accepted, method, path)?.Route));
    }

    [GeneratedRegex(@"\{\*?([^}:]+)[^}]*\}")]
    private static partial Regex ParameterRegex();

    [GeneratedRegex(@"^[a-z][a-z0-9_\-]{0,127}$(?<!^host$)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FunctionNameRegex();
}
