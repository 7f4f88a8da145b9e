using AuthFunctions.Core.MagmaKeys;
using AuthFunctions.Http.Authentication;
using AuthFunctions.Http.Json;
using AuthFunctions.Http.Problems;
using AuthFunctions.Http.Requests;
using AuthFunctions.Http.Routing;
using Microsoft.AspNetCore.Http;

namespace AuthFunctions.Http.Logins;

public sealed record AssertionLoginRequest(string? Assertion);

/// <summary><c>POST /api/authentication/assertion</c>: an SSO assertion signed by a trusted server for a delegated token.</summary>
public static class AssertionLoginEndpoint
{
    public const string Name = "AssertionLogin";

    public const string Pattern = "api/authentication/assertion";

    public static IReadOnlyList<AuthRoute> Routes { get; } =
        [AuthRoute.WithJsonBody(Name, HttpMethods.Post, Pattern, RouteAccess.Anonymous, AuthJson.Default.AssertionLoginRequest, HandleAsync)];

    private static async Task<IResult> HandleAsync(RouteCall call, AssertionLoginRequest request)
    {
        if (RequestReader.Require(request.Assertion, "assertion", out var assertion) is { } missing)
        {
            return Problem.From(missing);
        }

        return TokenResponse.From(await call.Service<AssertionLogin>().LoginAsync(assertion, call.Aborted), call.Context);
    }
}
