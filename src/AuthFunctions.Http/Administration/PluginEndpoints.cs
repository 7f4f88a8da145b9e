using AuthFunctions.Core.Plugins;
using AuthFunctions.Http.Authentication;
using AuthFunctions.Http.Json;
using AuthFunctions.Http.Problems;
using AuthFunctions.Http.Routing;
using Microsoft.AspNetCore.Http;

namespace AuthFunctions.Http.Administration;

public sealed record CreatePluginRequest(string? Name);

public sealed record CreatedPluginResponse(string PluginId, string PluginToken);

/// <summary><c>POST /admin/plugins</c> (Bearer with <c>administration</c>): the token is shown once.</summary>
public static class PluginEndpoints
{
    public const string CreateName = "CreatePlugin";

    public const string CreatePattern = AuthRoute.AdminScope + "/plugins";

    public static IReadOnlyList<AuthRoute> Routes { get; } =
        [AuthRoute.WithJsonBody(CreateName, HttpMethods.Post, CreatePattern, RouteAccess.Administration, AuthJson.Default.CreatePluginRequest, CreateAsync)];

    private static async Task<IResult> CreateAsync(RouteCall call, CreatePluginRequest request)
    {
        var created = await call.Service<PluginInstallations>().CreateAsync(request.Name, call.Caller.Subject, call.Aborted);
        if (!created.Succeeded)
        {
            return Problem.From(created.Error);
        }

        call.Response.Headers.CacheControl = "no-store";
        return TypedResults.Json(
            new CreatedPluginResponse(created.Value.PluginId, created.Value.PluginToken),
            AuthJson.Default.CreatedPluginResponse,
            statusCode: StatusCodes.Status201Created);
    }
}
