using AuthFunctions.Core.Tenants;
using AuthFunctions.Http.Authentication;
using AuthFunctions.Http.Json;
using AuthFunctions.Http.Requests;
using AuthFunctions.Http.Routing;
using Microsoft.AspNetCore.Http;

namespace AuthFunctions.Http.Tenancy;

/// <summary>A tenant in <c>GET /tenants</c>: <c>role</c> only when the caller is a member.</summary>
public sealed record TenantResponse(string Id, string Name, string? Role);

/// <summary>
/// <c>GET /tenants</c> under every scheme: a user's memberships, a tenant-scoped caller's tenant, a
/// plugin's installing tenants, a plugin connection's tenant (see <see cref="TenantAccess.ListAsync"/>).
/// </summary>
public static class TenantListEndpoint
{
    public const string Name = "ListTenants";

    public const string Pattern = "tenants";

    /// <summary>The Function app's function of <see cref="Pattern"/>, every method.</summary>
    public const string Function = "Tenants";

    /// <summary>The Function app's functions of these routes: one per template.</summary>
    public static IReadOnlyList<FunctionRoute> Functions { get; } = [new(Function, Pattern)];

    public static IReadOnlyList<AuthRoute> Routes { get; } =
        [new(Name, HttpMethods.Get, Pattern, RouteAccess.AnyOf(BearerScheme.Instance, PluginScheme.Instance, PluginConnectionScheme.Instance), ListAsync)];

    private static Task<IResult> ListAsync(RouteCall call) => Listing.RespondAsync(
        call.Context,
        "tenants|" + call.Caller.Subject,
        page => call.Service<TenantAccess>().ListAsync(call.Caller, page, call.Aborted),
        t => new TenantResponse(t.Id, t.Name, t.Role is { } role ? TenantRoles.NameOf(role) : null),
        AuthJson.Default.IReadOnlyListTenantResponse);
}
