using AuthFunctions.Core.Errors;
using AuthFunctions.Core.Plugins;
using AuthFunctions.Core.Storage;
using AuthFunctions.Core.Tenants;
using AuthFunctions.Http.Authentication;
using AuthFunctions.Http.Json;
using AuthFunctions.Http.Problems;
using AuthFunctions.Http.Requests;
using AuthFunctions.Http.Routing;
using Microsoft.AspNetCore.Http;

namespace AuthFunctions.Http.Tenancy;

public sealed record InstalledPluginResponse(string PluginConnectionId, string PluginConnectionToken);

public sealed record InstallationResponse(string ConnectionId, string TenantId, DateTimeOffset InstalledAt);

/// <summary>
/// <c>PUT|DELETE /tenants/{tenantId}/plugins/{pluginId}</c> (a tenant admin, or <c>administration</c>)
/// and <c>GET /plugins/{pluginId}/installations</c> (that plugin's own credentials).
/// </summary>
public static class PluginInstallationEndpoints
{
    public const string InstallName = "InstallPlugin";

    public const string UninstallName = "UninstallPlugin";

    public const string InstallationPattern = "tenants/{tenantId}/plugins/{pluginId}";

    /// <summary>The Function app's function of <see cref="InstallationPattern"/>, every method.</summary>
    public const string InstallationFunction = "TenantPlugin";

    public const string ListName = "ListPluginInstallations";

    public const string ListPattern = "plugins/{pluginId}/installations";

    /// <summary>The Function app's function of <see cref="ListPattern"/>, every method.</summary>
    public const string ListFunction = "PluginInstallations";

    /// <summary>The Function app's functions of these routes: one per template.</summary>
    public static IReadOnlyList<FunctionRoute> Functions { get; } = [new(InstallationFunction, InstallationPattern), new(ListFunction, ListPattern)];

    public static IReadOnlyList<AuthRoute> Routes { get; } =
    [
        new(InstallName, HttpMethods.Put, InstallationPattern, RouteAccess.Bearer(), TenantAdminRoute.Handler(InstallAsync)),
        new(UninstallName, HttpMethods.Delete, InstallationPattern, RouteAccess.Bearer(), TenantAdminRoute.Handler(UninstallAsync)),
        new(ListName, HttpMethods.Get, ListPattern, RouteAccess.AnyOf(PluginScheme.Instance), ListAsync),
    ];

    private static async Task<IResult> InstallAsync(RouteCall call, Tenant tenant)
    {
        var installed = await call.Service<PluginInstallations>().InstallAsync(tenant, call.Value("pluginId"), call.Caller.Subject, call.Aborted);
        if (!installed.Succeeded)
        {
            return Problem.From(installed.Error);
        }

        call.Response.Headers.CacheControl = "no-store";
        return TypedResults.Json(
            new InstalledPluginResponse(installed.Value.ConnectionId, installed.Value.ConnectionToken),
            AuthJson.Default.InstalledPluginResponse,
            statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> UninstallAsync(RouteCall call, Tenant tenant)
    {
        var removed = await call.Service<PluginInstallations>().UninstallAsync(tenant, call.Value("pluginId"), call.Caller.Subject, call.Aborted);
        return removed.Succeeded ? TypedResults.NoContent() : Problem.From(removed.Error);
    }

    private static Task<IResult> ListAsync(RouteCall call)
    {
        // A plugin sees its own installations only; another plugin's are "not found".
        var pluginId = call.Value("pluginId");
        return !string.Equals(pluginId, call.Caller.PluginId, StringComparison.Ordinal)
            ? Task.FromResult<IResult>(Problem.NotFound())
            : RespondWithInstallationsAsync(call, pluginId);
    }

    /// <summary>One page of the plugin's active installations: the plugin's own listing and its administrator's.</summary>
    internal static Task<IResult> RespondWithInstallationsAsync(RouteCall call, string pluginId) => Listing.RespondAsync(
        call.Context,
        "installations|" + pluginId,
        async page => (Outcome<PageOf<Installation>>)await call.Service<PluginInstallations>().ListAsync(pluginId, page, call.Aborted),
        i => new InstallationResponse(i.ConnectionId, i.TenantId, i.InstalledAt),
        AuthJson.Default.IReadOnlyListInstallationResponse);
}
