using AuthFunctions.Core.Principals;
using AuthFunctions.Core.Tenants;
using AuthFunctions.Http.Administration;
using AuthFunctions.Http.Authentication;
using AuthFunctions.Http.Json;
using AuthFunctions.Http.Requests;
using AuthFunctions.Http.Routing;
using Microsoft.AspNetCore.Http;

namespace AuthFunctions.Http.Tenancy;

/// <summary>
/// <c>GET /tenants/{tenantId}/members</c>: a tenant's roster for its own admins (and system
/// administrators), the same answer as <c>GET /admin/tenants/{tenantId}/members</c>. Changing
/// members stays with system administrators.
/// </summary>
public static class TenantMemberEndpoint
{
    public const string Name = "ListOwnTenantMembers";

    public const string Pattern = "tenants/{tenantId}/members";

    /// <summary>The Function app's function of <see cref="Pattern"/>, every method.</summary>
    public const string Function = "TenantMembers";

    /// <summary>The Function app's functions of these routes: one per template.</summary>
    public static IReadOnlyList<FunctionRoute> Functions { get; } = [new(Function, Pattern)];

    public static IReadOnlyList<AuthRoute> Routes { get; } =
        [new(Name, HttpMethods.Get, Pattern, RouteAccess.Bearer(), TenantAdminRoute.Handler(ListAsync))];

    private static Task<IResult> ListAsync(RouteCall call, Tenant tenant) => Listing.RespondAsync(
        call.Context,
        "members|" + Identifiers.KeyOf(tenant.Id),
        async page => (Core.Errors.Outcome<Core.Storage.PageOf<Member>>)await call.Service<TenantMemberships>().ListMembersAsync(tenant, page, call.Aborted),
        MemberResponse.Of,
        AuthJson.Default.IReadOnlyListMemberResponse);
}
