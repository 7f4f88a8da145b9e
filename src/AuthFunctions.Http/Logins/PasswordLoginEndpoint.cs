using AuthFunctions.Core.Errors;
using AuthFunctions.Core.Users;
using AuthFunctions.Http.Problems;
using AuthFunctions.Http.Requests;
using AuthFunctions.Http.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace AuthFunctions.Http.Logins;

/// <summary><c>GET /rs/authorise</c> with <c>Authorization: Basic base64(username:password)</c> (RFC 7617).</summary>
public static class PasswordLoginEndpoint
{
    public static AuthRoute Route { get; } = new("PasswordLogin", HttpMethods.Get, "rs/authorise", HandleAsync);

    private static async Task<IResult> HandleAsync(HttpContext context)
    {
        if (!AuthorizationHeader.TryGetCredentials(context.Request, "Basic", out var credentials))
        {
            return Problem.From(AuthError.InvalidGrant("Basic credentials are required: Authorization: Basic base64(username:password)."), Problem.BasicChallenge);
        }

        if (!AuthorizationHeader.TryDecodePair(credentials, out var username, out var password))
        {
            return Problem.From(AuthError.InvalidRequest("The Basic credentials are not base64 of 'username:password' in UTF-8."));
        }

        var login = context.RequestServices.GetRequiredService<PasswordLogin>();
        return TokenResponse.From(await login.LoginAsync(username, password, context.RequestAborted), context, Problem.BasicChallenge);
    }
}
