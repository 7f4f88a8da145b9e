using AuthFunctions.Core.Plugins;
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

    public const string ListName = "ListPluginInstallations";

    public const string ListPattern = "plugins/{pluginId}/installations";

    public static IReadOnlyList<AuthRoute> Routes { get; } =
    [
        new(InstallName, HttpMethods.Put, InstallationPattern, RouteAccess.Bearer(), InstallAsync),
        new(UninstallName, HttpMethods.Delete, InstallationPattern, RouteAccess.Bearer(), UninstallAsync),
        new(ListName, HttpMethods.Get, ListPattern, RouteAccess.AnyOf(PluginScheme.Instance), ListAsync),
    ];

    private static async Task<IResult> InstallAsync(RouteCall call)
    {
        var tenant = await call.Service<TenantAccess>().AdministerAsync(call.Caller, call.Value("tenantId"), call.Aborted);
        if (!tenant.Succeeded)
        {
            return Problem.From(tenant.Error);
        }

        var installed = await call.Service<PluginInstallations>().InstallAsync(tenant.Value, call.Value("pluginId"), call.Caller.Subject, call.Aborted);
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

    private static async Task<IResult> UninstallAsync(RouteCall call)
    {
        var tenant = await call.Service<TenantAccess>().AdministerAsync(call.Caller, call.Value("tenantId"), call.Aborted);
        if (!tenant.Succeeded)
        {
            return Problem.From(tenant.Error);
        }

        var removed = await call.Service<PluginInstallations>().UninstallAsync(tenant.Value, call.Value("pluginId"), call.Caller.Subject, call.Aborted);
        return removed.Succeeded ? TypedResults.NoContent() : Problem.From(removed.Error);
    }

    private static async Task<IResult> ListAsync(RouteCall call)
    {
        // A plugin sees its own installations only; another plugin's are "not found".
        var pluginId = call.Value("pluginId");
        if (!string.Equals(pluginId, call.Caller.PluginId, StringComparison.Ordinal))
        {
            return Problem.NotFound();
        }

        var scope = "installations|" + pluginId;
        var page = Listing.ReadPage(call.Request, scope);
        if (!page.Succeeded)
        {
            return Problem.From(page.Error);
        }

        var installed = await call.Service<PluginInstallations>().ListAsync(pluginId, page.Value, call.Aborted);
        return Listing.Write(
            call.Context,
            scope,
            installed.Select(i => new InstallationResponse(i.ConnectionId, i.TenantId, i.InstalledAt)),
            AuthJson.Default.IReadOnlyListInstallationResponse);
    }
}
