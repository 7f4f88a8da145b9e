using AuthFunctions.Core.Errors;
using AuthFunctions.Core.Principals;
using AuthFunctions.Core.Storage;
using AuthFunctions.Core.Tokens;
using AuthFunctions.Core.Users;
using Microsoft.Extensions.Logging;

namespace AuthFunctions.Core.Tenants;

/// <summary>
/// Adding, changing and removing members. The grant row is the truth; the roster row follows it.
/// Every write is conditional on the version read, and every change ends by bringing the roster in
/// line with the grant (re-reading both until they agree), so concurrent changes converge on one
/// state and never leave a grant the roster does not show. The order of writes decides what a crash
/// leaves, and repeating the request completes it:
/// <list type="bullet">
/// <item>Granting (a new member or a higher role): roster first, grant last — a crash in between lists a
/// member who can do nothing yet.</item>
/// <item>Taking away (removal or a lower role): the member's tenant-scoped tokens are cut off, then the
/// grant changes, then the cut-off is written again (for a login that raced the change), then the roster.</item>
/// </list>
/// </summary>
public sealed partial class TenantMemberships(
    ITenantStore tenants,
    IUserStore users,
    IMembershipStore memberships,
    ITokenRegistry tokens,
    TimeProvider timeProvider,
    ILogger<TenantMemberships> logger)
{
    private const int MaxAttempts = 5;

    private static readonly AuthError NoSuchTenant = AuthError.NotFound("There is no tenant with this id.");
    private static readonly AuthError NoSuchUser = AuthError.NotFound("There is no user with this id.");
    private static readonly AuthError NoSuchMember = AuthError.NotFound("The user is not a member of this tenant.");
    private static readonly AuthError Contended = AuthError.Conflict("The membership kept changing while this change was made; try again.");

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

        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var existing = await memberships.FindAsync(user.Id, tenant.Id, cancellationToken);
            var membership = new Membership
            {
                TenantId = tenant.Id,
                TenantName = tenant.Name,
                UserId = user.Id,
                Role = role.Value,
                AddedAt = existing?.AddedAt ?? timeProvider.GetUtcNow(),
            };
            if (membership.SameGrant(existing))
            {
                await SyncRosterAsync(tenant.Id, user.Id, cancellationToken);
                return existing!;
            }

            var lowering = existing is not null && existing.Role > membership.Role;
            if (lowering)
            {
                await CutOffAsync(tenant.Id, user.Id, cancellationToken);
            }
            else
            {
                var roster = await memberships.FindRosterAsync(tenant.Id, user.Id, cancellationToken);
                await memberships.TryPutRosterAsync(membership, roster?.Version, cancellationToken);
            }

            if (await memberships.TryPutGrantAsync(membership, existing?.Version, cancellationToken))
            {
                if (lowering)
                {
                    await CutOffAsync(tenant.Id, user.Id, cancellationToken);
                }

                await SyncRosterAsync(tenant.Id, user.Id, cancellationToken);
                Log.MemberSet(logger, tenant.Id, user.Id, membership.Role, actor);
                return membership;
            }
        }

        await SyncRosterAsync(tenant.Id, user.Id, cancellationToken);
        return Contended;
    }

    /// <summary>Ends the membership: access ends with the grant's deletion; a retry cleans up what a crash left.</summary>
    /// <remarks>A tenant being deleted is found too: its deletion removes its members through here.</remarks>
    public async Task<Outcome<bool>> RemoveAsync(string tenantId, string userId, string actor, CancellationToken cancellationToken)
    {
        var tenant = Identifiers.TryName(tenantId, out var id) ? await tenants.FindAnyAsync(id, cancellationToken) : null;
        if (tenant is null)
        {
            return NoSuchTenant;
        }

        if (!Identifiers.IsGeneratedId(userId))
        {
            return NoSuchMember;
        }

        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var grant = await memberships.FindAsync(userId, tenant.Id, cancellationToken);
            if (grant is null)
            {
                // Nothing granted: either never a member, or a removal that a crash interrupted.
                var roster = await memberships.FindRosterAsync(tenant.Id, userId, cancellationToken);
                await SyncRosterAsync(tenant.Id, userId, cancellationToken);
                return roster is null ? NoSuchMember : true;
            }

            await CutOffAsync(tenant.Id, userId, cancellationToken);
            if (await memberships.TryDeleteGrantAsync(userId, tenant.Id, grant.Version!, cancellationToken))
            {
                await CutOffAsync(tenant.Id, userId, cancellationToken);
                await SyncRosterAsync(tenant.Id, userId, cancellationToken);
                Log.MemberRemoved(logger, tenant.Id, userId, actor);
                return true;
            }
        }

        await SyncRosterAsync(tenant.Id, userId, cancellationToken);
        return Contended;
    }

    /// <summary>The tenant's members (its roster), one page.</summary>
    public async Task<Outcome<PageOf<Member>>> ListMembersAsync(string tenantId, PageRequest page, CancellationToken cancellationToken)
    {
        var tenant = Identifiers.TryName(tenantId, out var id) ? await tenants.FindAsync(id, cancellationToken) : null;
        return tenant is null ? NoSuchTenant : await ListMembersAsync(tenant, page, cancellationToken);
    }

    /// <summary>The members of a tenant already resolved, one page, each with its user (point reads, a bounded number at once).</summary>
    public async Task<PageOf<Member>> ListMembersAsync(Tenant tenant, PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        var roster = await memberships.ListMembersAsync(tenant.Id, page, cancellationToken);
        var found = await users.FindByIdsAsync([.. roster.Items.Select(m => m.UserId)], cancellationToken);
        return new PageOf<Member>([.. roster.Items.Select((m, i) => new Member(m, found[i]))], roster.Next);
    }

    /// <summary>Ends the tokens the user obtained for this tenant (tenant-scoped logins) before now.</summary>
    private Task CutOffAsync(string tenantId, string userId, CancellationToken cancellationToken) =>
        tokens.SetCutoffAsync(TokenPrincipals.TenantMember(tenantId, userId), timeProvider.GetUtcNow(), cancellationToken);

    /// <summary>
    /// Makes the roster row say what the grant says, reading both again until they agree: whichever
    /// change writes last also checks last, so concurrent changes end with the two in line.
    /// </summary>
    private async Task SyncRosterAsync(string tenantId, string userId, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 2 * MaxAttempts; attempt++)
        {
            var grantRead = memberships.FindAsync(userId, tenantId, cancellationToken);
            var rosterRead = memberships.FindRosterAsync(tenantId, userId, cancellationToken);
            await Task.WhenAll(grantRead, rosterRead);
            var (grant, roster) = (await grantRead, await rosterRead);
            if (grant is null ? roster is null : grant.SameGrant(roster))
            {
                return;
            }

            _ = grant is null
                ? await memberships.TryDeleteRosterAsync(tenantId, userId, roster!.Version!, cancellationToken)
                : await memberships.TryPutRosterAsync(grant, roster?.Version, cancellationToken);
        }

        Log.RosterBehind(logger, tenantId, userId);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1222, Level = LogLevel.Information, Message = "User {UserId} is {Role} of tenant {TenantId}, set by {Actor}")]
        public static partial void MemberSet(ILogger logger, string tenantId, string userId, TenantRole role, string actor);

        [LoggerMessage(EventId = 1223, Level = LogLevel.Information, Message = "User {UserId} removed from tenant {TenantId} by {Actor}")]
        public static partial void MemberRemoved(ILogger logger, string tenantId, string userId, string actor);

        [LoggerMessage(EventId = 1224, Level = LogLevel.Warning, Message = "The roster of tenant {TenantId} could not be brought in line for user {UserId} under contention; the next change of that membership will")]
        public static partial void RosterBehind(ILogger logger, string tenantId, string userId);
    }
}
