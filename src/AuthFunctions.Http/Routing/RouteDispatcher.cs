using AuthFunctions.Http.Problems;
using Microsoft.AspNetCore.Http;

namespace AuthFunctions.Http.Routing;

/// <summary>
/// The entry of both hosts: method + path → the route table's handler, else 404/405. A function of the
/// Function app serves every method of its template (see <see cref="FunctionRoute"/>), so every function
/// calls this instead of a handler of its own, and the answer never depends on which function ran.
/// </summary>
public static class RouteDispatcher
{
    /// <summary>The <see cref="HttpContext.Items"/> key under which the name of the answering route is kept.</summary>
    public const string AnsweringRouteKey = "AuthFunctions.AnsweringRoute";

    public static Task<IResult> InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        SecurityHeaders.Apply(context.Response);
        var (route, values) = RouteTable.Match(context.Request.Method, context.Request.Path);
        context.Items[AnsweringRouteKey] = route.Name;
        return route.InvokeAsync(context, values);
    }

    /// <summary>Dispatches and writes the result: the local host's whole request pipeline.</summary>
    public static async Task ExecuteAsync(HttpContext context)
    {
        var result = await InvokeAsync(context);
        await result.ExecuteAsync(context);
    }
}
