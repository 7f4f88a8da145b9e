using AuthFunctions.Http.AdminConsole;
using AuthFunctions.Http.Administration;
using AuthFunctions.Http.Authentication;
using AuthFunctions.Http.Discovery;
using AuthFunctions.Http.Health;
using AuthFunctions.Http.Logins;
using AuthFunctions.Http.OAuth;
using AuthFunctions.Http.OpenApi;
using AuthFunctions.Http.Problems;
using AuthFunctions.Http.Tenancy;
using AuthFunctions.Http.Tokens;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AuthFunctions.Http.Routing;

/// <summary>
/// The single source of truth for method + path + handler: the sum of each feature's routes. Both
/// hosts dispatch every request through <see cref="Match"/>, so which function or endpoint of a host
/// received the request never decides which handler answers it.
/// </summary>
public static class RouteTable
{
    public static IReadOnlyList<AuthRoute> All { get; } =
    [
        .. MagmaLoginEndpoint.Routes,
        .. LicenseLoginEndpoint.Routes,
        .. AssertionLoginEndpoint.Routes,
        .. PasswordLoginEndpoint.Routes,
        .. TokenDetailsEndpoint.Routes,
        .. ApiTokenEndpoints.Routes,
        .. OAuthEndpoints.Routes,
        .. UserEndpoints.Routes,
        .. TenantEndpoints.Routes,
        .. PluginEndpoints.Routes,
        .. TenantListEndpoint.Routes,
        .. PluginInstallationEndpoints.Routes,
        .. PluginListEndpoints.Routes,
        .. RealmKeyEndpoints.Routes,
        .. TenantMemberEndpoint.Routes,
        .. MagmaKeyEndpoints.Routes,
        .. AssertionKeyEndpoints.Routes,
        .. SigningKeyEndpoints.Routes,
        .. DiscoveryEndpoints.Routes,
        .. OpenApiEndpoint.Routes,
        .. HealthEndpoint.Routes,
        .. ConsoleEndpoints.Routes,
    ];

    /// <summary>
    /// The catch-all's name, as route and as function. The host orders functions by name
    /// (<c>OrdinalIgnoreCase</c>) and the first matching template wins, so it must sort after every other
    /// function: sorted earlier, it would take their requests, and the host would invoke, log and count
    /// them under this name. A test holds it last.
    /// </summary>
    public const string FallbackName = "Unmatched";

    public const string FallbackPattern = "{*path}";

    /// <summary>
    /// Every request no route takes: 404, or 405 with <c>Allow</c> when the path exists with other
    /// methods, with the contract's problem body. Its function is the Function app's catch-all.
    /// </summary>
    public static AuthRoute Fallback { get; } = new(FallbackName, "*", FallbackPattern, RouteAccess.Anonymous, NotFoundAsync);

    /// <summary>
    /// The Function app's HTTP functions: one per distinct template of <see cref="All"/>, in the same
    /// feature order, then the catch-all. Each serves every method of its template.
    /// </summary>
    public static IReadOnlyList<FunctionRoute> Functions { get; } =
    [
        .. MagmaLoginEndpoint.Functions,
        .. LicenseLoginEndpoint.Functions,
        .. AssertionLoginEndpoint.Functions,
        .. PasswordLoginEndpoint.Functions,
        .. TokenDetailsEndpoint.Functions,
        .. ApiTokenEndpoints.Functions,
        .. OAuthEndpoints.Functions,
        .. UserEndpoints.Functions,
        .. TenantEndpoints.Functions,
        .. PluginEndpoints.Functions,
        .. TenantListEndpoint.Functions,
        .. PluginInstallationEndpoints.Functions,
        .. PluginListEndpoints.Functions,
        .. RealmKeyEndpoints.Functions,
        .. TenantMemberEndpoint.Functions,
        .. MagmaKeyEndpoints.Functions,
        .. AssertionKeyEndpoints.Functions,
        .. SigningKeyEndpoints.Functions,
        .. DiscoveryEndpoints.Functions,
        .. OpenApiEndpoint.Functions,
        .. HealthEndpoint.Functions,
        .. ConsoleEndpoints.Functions,
        new(FallbackName, FallbackPattern),
    ];

    /// <summary>The route of <paramref name="method"/> and <paramref name="path"/> with its values, else <see cref="Fallback"/>.</summary>
    public static (AuthRoute Route, RouteValueDictionary Values) Match(string method, PathString path)
    {
        foreach (var route in All)
        {
            if (!HttpMethods.Equals(route.Method, method))
            {
                continue;
            }

            var values = new RouteValueDictionary();
            if (route.TryMatch(path, values))
            {
                return (route, values);
            }
        }

        return (Fallback, new RouteValueDictionary());
    }

    /// <summary>The methods the table answers on <paramref name="path"/>.</summary>
    public static IReadOnlyList<string> MethodsOf(PathString path) =>
        [.. All.Where(r => r.TryMatch(path, new RouteValueDictionary())).Select(r => r.Method).Distinct()];

    private static Task<IResult> NotFoundAsync(RouteCall call)
    {
        var allowed = MethodsOf(call.Request.Path);
        if (allowed.Count == 0)
        {
            return Task.FromResult<IResult>(Problem.NotFound());
        }

        call.Response.Headers.Allow = string.Join(", ", allowed);
        return Task.FromResult<IResult>(Problem.MethodNotAllowed(allowed));
    }
}
