using AuthFunctions.Core.Errors;
using AuthFunctions.Core.Principals;
using AuthFunctions.Core.Users;
using AuthFunctions.Http.Authentication;
using AuthFunctions.Http.Problems;
using AuthFunctions.Http.Requests;
using AuthFunctions.Http.Routing;
using Microsoft.AspNetCore.Http;

namespace AuthFunctions.Http.Logins;

/// <summary><c>GET /rs/authorise[?tenant={id}]</c> with <c>Authorization: Basic base64(username:password)</c> (RFC 7617).</summary>
public static class PasswordLoginEndpoint
{
    public const string Name = "PasswordLogin";

    public const string Pattern = "rs/authorise";

    /// <summary>A login: the Basic credentials are what it exchanges, so the route itself is anonymous.</summary>
    /// <summary>The Function app's functions of these routes: one per template.</summary>
    public static IReadOnlyList<FunctionRoute> Functions { get; } = [new(Name, Pattern)];

    public static IReadOnlyList<AuthRoute> Routes { get; } = [new(Name, HttpMethods.Get, Pattern, RouteAccess.Anonymous, HandleAsync)];

    private static async Task<IResult> HandleAsync(RouteCall call)
    {
        if (!AuthorizationHeader.TryGetCredentials(call.Request, "Basic", out var credentials))
        {
            return Problem.From(AuthError.InvalidGrant("Basic credentials are required: Authorization: Basic base64(username:password)."), Problem.BasicChallenge);
        }

        if (!AuthorizationHeader.TryDecodePair(credentials, out var username, out var password))
        {
            return Problem.From(AuthError.InvalidRequest("The Basic credentials are not base64 of 'username:password' in UTF-8."));
        }

        // ?tenant={id}: a login scoped to one tenant. Its shape is checked before the password; membership after.
        var tenants = call.Request.Query["tenant"];
        string? tenantId = null;
        if (tenants.Count > 1 || (tenants.Count == 1 && !Identifiers.TryName(tenants[0], out tenantId)))
        {
            return Problem.InvalidRequest("'tenant' must be one tenant id: 1-100 letters, digits, '.', '_' or '-'.");
        }

        var login = call.Service<PasswordLogin>();
        return TokenResponse.From(await login.LoginAsync(username, password, tenantId, call.Aborted), call.Context, Problem.BasicChallenge);
    }
}
