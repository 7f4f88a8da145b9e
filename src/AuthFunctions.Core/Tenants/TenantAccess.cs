using AuthFunctions.Core.Errors;
using AuthFunctions.Core.Plugins;
using AuthFunctions.Core.Principals;
using AuthFunctions.Core.Storage;

namespace AuthFunctions.Core.Tenants;

/// <summary>A tenant as a caller sees it: its role there when the caller is a member.</summary>
public sealed record TenantView(string Id, string Name, TenantRole? Role);

/// <summary>
/// Which tenants a caller reaches, read from storage on every request (never from a token's memory
/// of it), so a membership change or an uninstall takes effect on the next request. A tenant the
/// caller may not know of is "not found", never "forbidden".
/// </summary>
public sealed class TenantAccess(ITenantStore tenants, IMembershipStore memberships, PluginInstallations plugins)
{
    private static readonly AuthError NoSuchTenant = AuthError.NotFound("There is no tenant with this id.");

    private static readonly AuthError NotTenantAdmin = AuthError.AccessDenied("Only an admin of this tenant may do this.");

    private static readonly AuthError NoTenant = AuthError.AccessDenied(
        "The caller belongs to no tenant: a super user (any token with 'administration' and no tenant) configures the system, and a magma key without a tenant reaches none.");

    /// <summary>
    /// The tenant, when the caller may administer it: a system administrator, or a user who is an admin
    /// member of it. A member who is only an operator, or the tenant's own realm key, is refused (403);
    /// anyone else cannot tell the tenant from one that does not exist (404).
    /// </summary>
    public async Task<Outcome<Tenant>> AdministerAsync(Caller caller, string tenantId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!Identifiers.TryName(tenantId, out var id)
            || (caller.TenantId is { } scope && Identifiers.KeyOf(scope) != Identifiers.KeyOf(id)))
        {
            return NoSuchTenant;
        }

        if (caller.IsSystemAdministrator)
        {
            return await tenants.FindAsync(id, cancellationToken) is { } tenant ? tenant : NoSuchTenant;
        }

        if (caller.Kind == CallerKind.User)
        {
            // Two independent point reads, at once.
            var membershipRead = memberships.FindAsync(caller.Subject, id, cancellationToken);
            var tenantRead = tenants.FindAsync(id, cancellationToken);
            await Task.WhenAll(membershipRead, tenantRead);
            var (membership, tenant) = (await membershipRead, await tenantRead);
            return membership is null || tenant is null ? NoSuchTenant
                : membership.Role != TenantRole.Admin ? NotTenantAdmin
                : tenant;
        }

        return caller.TenantId is null ? NoSuchTenant : NotTenantAdmin;
    }

    /// <summary>
    /// <c>GET /plugins</c>: the catalog of enabled plugins, for whoever may install one somewhere: a
    /// system administrator, or a user who is an admin of at least one tenant (of its one tenant, for a
    /// tenant-scoped login). Anyone else is refused (403): the catalog is no secret from it, just of no use.
    /// A user's grants are one partition, read until an admin grant turns up.
    /// </summary>
    public async Task<Outcome<PageOf<Plugin>>> ListPluginCatalogAsync(Caller caller, PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return await MayInstallSomewhereAsync(caller, cancellationToken)
            ? await plugins.ListCatalogAsync(page, cancellationToken)
            : NotAnyTenantAdmin;
    }

    private static readonly AuthError NotAnyTenantAdmin = AuthError.AccessDenied(
        "Only a tenant admin or a system administrator may list the plugins to install.");

    private async Task<bool> MayInstallSomewhereAsync(Caller caller, CancellationToken cancellationToken)
    {
        if (caller.IsSystemAdministrator)
        {
            return true;
        }

        if (caller.Kind != CallerKind.User)
        {
            return false;
        }

        if (caller.TenantId is { } scoped)
        {
            return (await memberships.FindAsync(caller.Subject, scoped, cancellationToken))?.Role == TenantRole.Admin;
        }

        for (var page = new PageRequest(PageRequest.MaxLimit); page is not null;)
        {
            var grants = await memberships.ListTenantsAsync(caller.Subject, page, cancellationToken);
            if (grants.Items.Any(g => g.Role == TenantRole.Admin))
            {
                return true;
            }

            page = grants.Next is { } next ? page with { After = next } : null;
        }

        return false;
    }

    /// <summary>
    /// <c>GET /tenants</c>: a user's memberships with role; a tenant-scoped caller's one tenant (a realm
    /// key, a tenant login, a plugin connection); every tenant that installed a plugin. A caller of no
    /// tenant (a super user, a magma key without a tenant) is refused.
    /// </summary>
    public async Task<Outcome<PageOf<TenantView>>> ListAsync(Caller caller, PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(page);
        if (caller.Kind == CallerKind.Plugin)
        {
            var installed = await plugins.ListAsync(caller.PluginId!, page, cancellationToken);
            return installed.Select(i => new TenantView(i.TenantId, i.TenantName, null));
        }

        if (caller.Kind == CallerKind.User)
        {
            if (caller.TenantId is { } scoped)
            {
                var membership = page.After is null ? await memberships.FindAsync(caller.Subject, scoped, cancellationToken) : null;
                return new PageOf<TenantView>(membership is null ? [] : [View(membership)], null);
            }

            return caller.IsSystemAdministrator
                ? NoTenant
                : (await memberships.ListTenantsAsync(caller.Subject, page, cancellationToken)).Select(View);
        }

        if (caller.TenantId is { } tenantId)
        {
            var tenant = page.After is null ? await tenants.FindAsync(tenantId, cancellationToken) : null;
            return new PageOf<TenantView>(tenant is null ? [] : [new TenantView(tenant.Id, tenant.Name, null)], null);
        }

        return NoTenant;
    }

    private static TenantView View(Membership membership) => new(membership.TenantId, membership.TenantName, membership.Role);
}
