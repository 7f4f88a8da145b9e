using Microsoft.AspNetCore.Http;

namespace AuthFunctions.Http.Routing;

/// <summary>
/// Dispatches one path to the route of the request's method, or to <see cref="RouteTable.Fallback"/>
/// (405 with our problem body), so a host's own router never answers with an empty 405.
/// </summary>
public static class RouteDispatcher
{
    /// <summary>One request delegate per distinct pattern of the route table.</summary>
    public static IEnumerable<(string Pattern, RequestDelegate Handler)> ByPattern() =>
        RouteTable.All
            .GroupBy(r => r.Pattern, StringComparer.Ordinal)
            .Select(group =>
            {
                var routes = group.ToArray();
                return (group.Key, (RequestDelegate)(context => DispatchAsync(routes, context)));
            });

    public static async Task ExecuteAsync(AuthRoute route, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(route);
        var result = await route.InvokeAsync(context);
        await result.ExecuteAsync(context);
    }

    private static Task DispatchAsync(AuthRoute[] routes, HttpContext context)
    {
        foreach (var route in routes)
        {
            if (HttpMethods.Equals(route.Method, context.Request.Method))
            {
                return ExecuteAsync(route, context);
            }
        }

        return ExecuteAsync(RouteTable.Fallback, context);
    }
}
