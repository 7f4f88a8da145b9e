using AuthFunctions.Core.Errors;
using AuthFunctions.Core.Principals;
using AuthFunctions.Core.Storage;
using AuthFunctions.Core.Users;
using Microsoft.Extensions.Logging;

namespace AuthFunctions.Core.Tenants;

/// <summary>
/// Adding, changing and removing members. Every change is two single-row writes, ordered so that a
/// crash between them never grants more than the administrator has asked for so far, and idempotent,
/// so that repeating the request completes it:
/// <list type="bullet">
/// <item>Granting (a new member or a higher role): roster first, grant last.</item>
/// <item>Taking away (removal or a lower role): grant first, roster last.</item>
/// </list>
/// A roster row without its grant lists a member who can do nothing; a retry completes either way.
/// </summary>
public sealed partial class TenantMemberships(
    ITenantStore tenants,
    IUserStore users,
    IMembershipStore memberships,
    TimeProvider timeProvider,
    ILogger<TenantMemberships> logger)
{
    private static readonly AuthError NoSuchTenant = AuthError.NotFound("There is no tenant with this id.");
    private static readonly AuthError NoSuchUser = AuthError.NotFound("There is no user with this id.");
    private static readonly AuthError NoSuchMember = AuthError.NotFound("The user is not a member of this tenant.");

    /// <summary>Makes the user a member with <paramref name="roleName"/>, or changes its role; idempotent.</summary>
    public async Task<Outcome<Membership>> SetAsync(string tenantId, string userId, string? roleName, string actor, CancellationToken cancellationToken)
    {
        if (!TenantRoles.TryParse(roleName, out var role))
        {
            return AuthError.InvalidRequest($"'role' must be '{TenantRoles.Operator}' or '{TenantRoles.Admin}'.");
        }

        var tenant = Identifiers.TryName(tenantId, out var id) ? await tenants.FindAsync(id, cancellationToken) : null;
        if (tenant is null)
        {
            return NoSuchTenant;
        }

        var user = Identifiers.IsGeneratedId(userId) ? await users.FindByIdAsync(userId, cancellationToken) : null;
        if (user is null)
        {
            return NoSuchUser;
        }

        if (user.SuperUser)
        {
            return AuthError.InvalidRequest("A super user configures the system and belongs to no tenant.");
        }

        var existing = await memberships.FindAsync(user.Id, tenant.Id, cancellationToken);
        var membership = new Membership
        {
            TenantId = tenant.Id,
            TenantName = tenant.Name,
            UserId = user.Id,
            Role = role.Value,
            AddedAt = existing?.AddedAt ?? timeProvider.GetUtcNow(),
        };
        if (existing is not null && existing.Role > membership.Role)
        {
            await memberships.PutGrantAsync(membership, cancellationToken);
            await memberships.PutRosterAsync(membership, cancellationToken);
        }
        else
        {
            await memberships.PutRosterAsync(membership, cancellationToken);
            await memberships.PutGrantAsync(membership, cancellationToken);
        }

        Log.MemberSet(logger, tenant.Id, user.Id, membership.Role, actor);
        return membership;
    }

    /// <summary>Ends the membership: the grant goes first, so access ends with the first write.</summary>
    public async Task<Outcome<bool>> RemoveAsync(string tenantId, string userId, string actor, CancellationToken cancellationToken)
    {
        var tenant = Identifiers.TryName(tenantId, out var id) ? await tenants.FindAsync(id, cancellationToken) : null;
        if (tenant is null)
        {
            return NoSuchTenant;
        }

        if (!Identifiers.IsGeneratedId(userId))
        {
            return NoSuchMember;
        }

        var grant = memberships.FindAsync(userId, tenant.Id, cancellationToken);
        var roster = memberships.FindRosterAsync(tenant.Id, userId, cancellationToken);
        await Task.WhenAll(grant, roster);
        if (await grant is null && await roster is null)
        {
            return NoSuchMember;
        }

        await memberships.DeleteGrantAsync(userId, tenant.Id, cancellationToken);
        await memberships.DeleteRosterAsync(tenant.Id, userId, cancellationToken);
        Log.MemberRemoved(logger, tenant.Id, userId, actor);
        return true;
    }

    /// <summary>The tenant's members (its roster), one page.</summary>
    public async Task<Outcome<PageOf<Membership>>> ListMembersAsync(string tenantId, PageRequest page, CancellationToken cancellationToken)
    {
        var tenant = Identifiers.TryName(tenantId, out var id) ? await tenants.FindAsync(id, cancellationToken) : null;
        return tenant is null ? NoSuchTenant : await memberships.ListMembersAsync(tenant.Id, page, cancellationToken);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1222, Level = LogLevel.Information, Message = "User {UserId} is {Role} of tenant {TenantId}, set by {Actor}")]
        public static partial void MemberSet(ILogger logger, string tenantId, string userId, TenantRole role, string actor);

        [LoggerMessage(EventId = 1223, Level = LogLevel.Information, Message = "User {UserId} removed from tenant {TenantId} by {Actor}")]
        public static partial void MemberRemoved(ILogger logger, string tenantId, string userId, string actor);
    }
}
