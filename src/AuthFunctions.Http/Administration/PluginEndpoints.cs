using AuthFunctions.Core.Errors;
using AuthFunctions.Core.Plugins;
using AuthFunctions.Core.Storage;
using AuthFunctions.Http.Requests;
using AuthFunctions.Http.Authentication;
using AuthFunctions.Http.Json;
using AuthFunctions.Http.Problems;
using AuthFunctions.Http.Routing;
using Microsoft.AspNetCore.Http;

namespace AuthFunctions.Http.Administration;

public sealed record CreatePluginRequest(string? Name);

public sealed record CreatedPluginResponse(string PluginId, string PluginToken);

/// <summary>A plugin as an administrator's listing shows it: never its token nor the token's hash.</summary>
public sealed record PluginResponse(string PluginId, string Name, bool Enabled, DateTimeOffset CreatedAt);

/// <summary>
/// <c>GET|POST /admin/plugins</c> and <c>GET /admin/plugins/{pluginId}/installations</c> (Bearer with
/// <c>administration</c>): a new plugin's token is shown once.
/// </summary>
public static class PluginEndpoints
{
    public const string CreateName = "CreatePlugin";

    public const string PluginsPattern = AuthRoute.AdminScope + "/plugins";

    /// <summary>The Function app's function of <see cref="PluginsPattern"/>, every method.</summary>
    public const string PluginsFunction = "AdminPlugins";

    public const string ListName = "ListPlugins";

    public const string ListInstallationsName = "ListPluginInstallationsAsAdministrator";

    public const string InstallationsPattern = AuthRoute.AdminScope + "/plugins/{pluginId}/installations";

    /// <summary>The Function app's function of <see cref="InstallationsPattern"/>, every method.</summary>
    public const string InstallationsFunction = "AdminPluginInstallations";

    /// <summary>The Function app's functions of these routes: one per template.</summary>
    public static IReadOnlyList<FunctionRoute> Functions { get; } = [new(PluginsFunction, PluginsPattern), new(InstallationsFunction, InstallationsPattern)];

    public static IReadOnlyList<AuthRoute> Routes { get; } =
    [
        AuthRoute.WithJsonBody(CreateName, HttpMethods.Post, PluginsPattern, RouteAccess.Administration, AuthJson.Default.CreatePluginRequest, CreateAsync),
        new(ListName, HttpMethods.Get, PluginsPattern, RouteAccess.Administration, ListAsync),
        new(ListInstallationsName, HttpMethods.Get, InstallationsPattern, RouteAccess.Administration, ListInstallationsAsync),
    ];

    private static Task<IResult> ListAsync(RouteCall call) => Listing.RespondAsync(
        call.Context,
        "plugins",
        async page => (Outcome<PageOf<Plugin>>)await call.Service<PluginInstallations>().ListPluginsAsync(page, call.Aborted),
        p => new PluginResponse(p.Id, p.Name, p.Enabled, p.CreatedAt),
        AuthJson.Default.IReadOnlyListPluginResponse);

    /// <summary>The plugin's active installations, as the plugin itself lists them; an unknown plugin is a 404.</summary>
    private static async Task<IResult> ListInstallationsAsync(RouteCall call)
    {
        var pluginId = call.Value("pluginId");
        var installations = call.Service<PluginInstallations>();
        if (await installations.FindPluginAsync(pluginId, call.Aborted) is null)
        {
            return Problem.From(AuthError.NotFound("There is no plugin with this id."));
        }

        return await Tenancy.PluginInstallationEndpoints.RespondWithInstallationsAsync(call, pluginId);
    }

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
