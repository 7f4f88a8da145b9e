using AuthFunctions.Core.Licenses;
using AuthFunctions.Http.Authentication;
using AuthFunctions.Http.Json;
using AuthFunctions.Http.Problems;
using AuthFunctions.Http.Requests;
using AuthFunctions.Http.Routing;
using Microsoft.AspNetCore.Http;

namespace AuthFunctions.Http.Logins;

public sealed record LicenseLoginRequest(string? Token);

/// <summary><c>POST /api/authentication/licensesystem</c>: a license-system token for one of ours.</summary>
public static class LicenseLoginEndpoint
{
    public const string Name = "LicenseLogin";

    public const string Pattern = "api/authentication/licensesystem";

    public static IReadOnlyList<AuthRoute> Routes { get; } =
        [AuthRoute.WithJsonBody(Name, HttpMethods.Post, Pattern, RouteAccess.Anonymous, AuthJson.Default.LicenseLoginRequest, HandleAsync)];

    private static async Task<IResult> HandleAsync(RouteCall call, LicenseLoginRequest request)
    {
        if (RequestReader.Require(request.Token, "token", out var token) is { } missing)
        {
            return Problem.From(missing);
        }

        return TokenResponse.From(await call.Service<LicenseLogin>().LoginAsync(token, call.Aborted), call.Context);
    }
}
