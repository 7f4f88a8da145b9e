using AuthFunctions.Http.Administration;
using AuthFunctions.Http.Discovery;
using AuthFunctions.Http.Health;
using AuthFunctions.Http.Logins;
using AuthFunctions.Http.Problems;
using AuthFunctions.Http.Tokens;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;

namespace AuthFunctions.Http.Routing;

/// <summary>
/// The single source of truth for method + path + handler. The local host maps exactly these; the
/// Function app has one function per entry, and a test proves its generated catalog matches.
/// </summary>
public static class RouteTable
{
    public static IReadOnlyList<AuthRoute> All { get; } =
    [
        MagmaLoginEndpoint.Route,
        PasswordLoginEndpoint.Route,
        TokenDetailsEndpoint.Route,
        UserEndpoints.Create,
        MagmaKeyEndpoints.Create,
        MagmaKeyEndpoints.Delete,
        DiscoveryEndpoints.Configuration,
        DiscoveryEndpoints.Jwks,
        HealthEndpoint.Route,
    ];

    /// <summary>
    /// Everything else: 404 (or 405 when the path exists with another method) with the contract's
    /// problem body. In Azure the host answers unmatched paths itself unless this catch-all exists.
    /// </summary>
    public static AuthRoute Fallback { get; } = new("NotFound", "*", "{*path}", NotFoundAsync);

    private static readonly (TemplateMatcher Matcher, string Method)[] Matchers =
        [.. All.Select(r => (new TemplateMatcher(TemplateParser.Parse(r.Pattern), new RouteValueDictionary()), r.Method))];

    private static Task<IResult> NotFoundAsync(HttpContext context)
    {
        var path = context.Request.Path;
        var allowed = Matchers.Where(m => m.Matcher.TryMatch(path, new RouteValueDictionary())).Select(m => m.Method).Distinct().ToList();
        if (allowed.Count > 0)
        {
            context.Response.Headers.Allow = string.Join(", ", allowed);
            return Task.FromResult<IResult>(new ProblemResult(new("invalid_request", $"This path answers {string.Join(", ", allowed)} only."), StatusCodes.Status405MethodNotAllowed));
        }

        return Task.FromResult<IResult>(Problem.NotFound());
    }
}
