using AuthFunctions.Core.Errors;
using AuthFunctions.Core.Plugins;
using AuthFunctions.Core.Principals;
using AuthFunctions.Core.Storage;
using AuthFunctions.Core.Tenants;
using AuthFunctions.Http.Authentication;
using AuthFunctions.Http.Json;
using AuthFunctions.Http.Requests;
using AuthFunctions.Http.Routing;
using Microsoft.AspNetCore.Http;

namespace AuthFunctions.Http.Tenancy;

/// <summary>A plugin in the catalog: its id and name, nothing else (never its token nor the token's hash).</summary>
public sealed record CatalogPluginResponse(string PluginId, string Name);

/// <summary>A plugin installed in a tenant: never its connection's token.</summary>
public sealed record TenantPluginResponse(string PluginId, string Name, string ConnectionId, DateTimeOffset InstalledAt);

/// <summary>
/// What a tenant admin installs from and what it has installed: <c>GET /plugins</c> (the enabled
/// plugins, for a user who is an admin of some tenant, or a system administrator) and
/// <c>GET /tenants/{tenantId}/plugins</c> (the tenant's active installations, for its admins and system
/// administrators, like its roster).
/// </summary>
public static class PluginListEndpoints
{
    public const string CatalogName = "ListPluginCatalog";

    public const string CatalogPattern = "plugins";

    /// <summary>The Function app's function of <see cref="CatalogPattern"/>, every method.</summary>
    public const string CatalogFunction = "PluginCatalog";

    public const string InstalledName = "ListTenantPlugins";

    public const string InstalledPattern = "tenants/{tenantId}/plugins";

    /// <summary>The Function app's function of <see cref="InstalledPattern"/>, every method.</summary>
    public const string InstalledFunction = "TenantPlugins";

    /// <summary>The Function app's functions of these routes: one per template.</summary>
    public static IReadOnlyList<FunctionRoute> Functions { get; } = [new(CatalogFunction, CatalogPattern), new(InstalledFunction, InstalledPattern)];

    public static IReadOnlyList<AuthRoute> Routes { get; } =
    [
        new(CatalogName, HttpMethods.Get, CatalogPattern, RouteAccess.Bearer(), ListCatalogAsync),
        new(InstalledName, HttpMethods.Get, InstalledPattern, RouteAccess.Bearer(), TenantAdminRoute.Handler(ListInstalledAsync)),
    ];

    private static Task<IResult> ListCatalogAsync(RouteCall call) => Listing.RespondAsync(
        call.Context,
        "plugin-catalog",
        page => call.Service<TenantAccess>().ListPluginCatalogAsync(call.Caller, page, call.Aborted),
        p => new CatalogPluginResponse(p.Id, p.Name),
        AuthJson.Default.IReadOnlyListCatalogPluginResponse);

    private static Task<IResult> ListInstalledAsync(RouteCall call, Tenant tenant) => Listing.RespondAsync(
        call.Context,
        "tenant-plugins|" + Identifiers.KeyOf(tenant.Id),
        async page => (Outcome<PageOf<InstalledPlugin>>)await call.Service<PluginInstallations>().ListInstalledAsync(tenant, page, call.Aborted),
        i => new TenantPluginResponse(i.PluginId, i.Name, i.ConnectionId, i.InstalledAt),
        AuthJson.Default.IReadOnlyListTenantPluginResponse);
}
