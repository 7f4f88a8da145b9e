namespace AuthFunctions.Http.Routing;

/// <summary>
/// One HTTP function of the Function app: a route template of the table and the name the Functions host
/// invokes, logs and counts it under. The function serves every method of its template (it declares
/// none and hands each request to <see cref="RouteDispatcher"/>), so no two functions share a template:
/// the host puts the later of two functions with equal templates in error, and then answers every request
/// to that template with a 500 (design.md, "The real host (4.x) applies three rules").
/// </summary>
/// <param name="Name">The function's name: an endpoint's constant, named for the resource its template addresses.</param>
/// <param name="Pattern">The route template as the host reads it, the same constant the template's routes use.</param>
public sealed record FunctionRoute(string Name, string Pattern)
{
    /// <summary>The public path template, e.g. <c>admin/magma-keys/{name}</c> (see <see cref="AuthRoute.Template"/>).</summary>
    public string Template { get; } = AuthRoute.PublicTemplate(Pattern);
}
