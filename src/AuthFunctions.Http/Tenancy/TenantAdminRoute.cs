using AuthFunctions.Core.Tenants;
using AuthFunctions.Http.Problems;
using AuthFunctions.Http.Routing;
using Microsoft.AspNetCore.Http;

namespace AuthFunctions.Http.Tenancy;

/// <summary>
/// Handlers of <c>/tenants/{tenantId}/…</c> that only the tenant's admins (or a system administrator)
/// may call: the tenant is resolved and the caller checked (<see cref="TenantAccess.AdministerAsync"/>)
/// before the handler runs, which then receives the tenant.
/// </summary>
internal static class TenantAdminRoute
{
    public static Func<RouteCall, Task<IResult>> Handler(Func<RouteCall, Tenant, Task<IResult>> handler) =>
        async call =>
        {
            var tenant = await AdministeredAsync(call);
            return tenant.Succeeded ? await handler(call, tenant.Value) : Problem.From(tenant.Error);
        };

    public static Func<RouteCall, T, Task<IResult>> Handler<T>(Func<RouteCall, Tenant, T, Task<IResult>> handler) =>
        async (call, body) =>
        {
            var tenant = await AdministeredAsync(call);
            return tenant.Succeeded ? await handler(call, tenant.Value, body) : Problem.From(tenant.Error);
        };

    private static Task<Core.Errors.Outcome<Tenant>> AdministeredAsync(RouteCall call) =>
        call.Service<TenantAccess>().AdministerAsync(call.Caller, call.Value("tenantId"), call.Aborted);
}
