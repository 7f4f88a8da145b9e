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

public sealed record UpdatePluginRequest(bool? Enabled);

/// <summary>A plugin as an administrator's listing shows it: never its token nor the token's hash.</summary>
public sealed record PluginResponse(string PluginId, string Name, bool Enabled, DateTimeOffset CreatedAt);

/// <summary>
/// <c>GET|POST /admin/plugins</c>, <c>PATCH|DELETE /admin/plugins/{pluginId}</c>,
/// <c>POST /admin/plugins/{pluginId}/token</c> and <c>GET /admin/plugins/{pluginId}/installations</c>
/// (Bearer with <c>administration</c>): a plugin's token, new or rotated, is shown once.
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

    public const string UpdateName = "UpdatePlugin";

    public const string DeleteName = "DeletePlugin";

    public const string PluginPattern = AuthRoute.AdminScope + "/plugins/{pluginId}";

    /// <summary>The Function app's function of <see cref="PluginPattern"/>, every method.</summary>
    public const string PluginFunction = "AdminPlugin";

    public const string RotateTokenName = "RotatePluginToken";

    public const string TokenPattern = AuthRoute.AdminScope + "/plugins/{pluginId}/token";

    /// <summary>The Function app's function of <see cref="TokenPattern"/>, every method.</summary>
    public const string TokenFunction = "AdminPluginToken";

    /// <summary>The Function app's functions of these routes: one per template.</summary>
    public static IReadOnlyList<FunctionRoute> Functions { get; } =
        [new(PluginsFunction, PluginsPattern), new(PluginFunction, PluginPattern), new(TokenFunction, TokenPattern), new(InstallationsFunction, InstallationsPattern)];

    public static IReadOnlyList<AuthRoute> Routes { get; } =
    [
        AuthRoute.WithJsonBody(CreateName, HttpMethods.Post, PluginsPattern, RouteAccess.Administration, AuthJson.Default.CreatePluginRequest, CreateAsync),
        new(ListName, HttpMethods.Get, PluginsPattern, RouteAccess.Administration, ListAsync),
        new(ListInstallationsName, HttpMethods.Get, InstallationsPattern, RouteAccess.Administration, ListInstallationsAsync),
        AuthRoute.WithJsonBody(UpdateName, HttpMethods.Patch, PluginPattern, RouteAccess.Administration, AuthJson.Default.UpdatePluginRequest, UpdateAsync),
        new(DeleteName, HttpMethods.Delete, PluginPattern, RouteAccess.Administration, DeleteAsync),
        new(RotateTokenName, HttpMethods.Post, TokenPattern, RouteAccess.Administration, RotateTokenAsync),
    ];

    /// <summary><c>{enabled}</c>: a disabled plugin's token and its connections' tokens are refused at once; enabling revives them.</summary>
    private static async Task<IResult> UpdateAsync(RouteCall call, UpdatePluginRequest request)
    {
        if (request.Enabled is not { } enabled)
        {
            return Problem.InvalidRequest("'enabled' (true or false) is required.");
        }

        var updated = await call.Service<PluginInstallations>().SetEnabledAsync(call.Value("pluginId"), enabled, call.Caller.Subject, call.Aborted);
        return updated.Succeeded ? TypedResults.NoContent() : Problem.From(updated.Error);
    }

    /// <summary>Uninstalls the plugin from every tenant, then deletes it: 204; its token and every connection are dead at once.</summary>
    private static async Task<IResult> DeleteAsync(RouteCall call)
    {
        var deleted = await call.Service<PluginInstallations>().DeleteAsync(call.Value("pluginId"), call.Caller.Subject, call.Aborted);
        return deleted.Succeeded ? TypedResults.NoContent() : Problem.From(deleted.Error);
    }

    /// <summary>A new plugin token, shown once, as at creation (201 with the same body); the old one is dead at once.</summary>
    private static async Task<IResult> RotateTokenAsync(RouteCall call)
    {
        var rotated = await call.Service<PluginInstallations>().RotateTokenAsync(call.Value("pluginId"), call.Caller.Subject, call.Aborted);
        return TokenShownOnce(call, rotated);
    }

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
        return TokenShownOnce(call, created);
    }

    /// <summary>201 with the plugin's token, shown this once and never cached; or the problem.</summary>
    private static IResult TokenShownOnce(RouteCall call, Outcome<CreatedPlugin> outcome)
    {
        if (!outcome.Succeeded)
        {
            return Problem.From(outcome.Error);
        }

        call.Response.Headers.CacheControl = "no-store";
        return TypedResults.Json(
            new CreatedPluginResponse(outcome.Value.PluginId, outcome.Value.PluginToken),
            AuthJson.Default.CreatedPluginResponse,
            statusCode: StatusCodes.Status201Created);
    }
}
