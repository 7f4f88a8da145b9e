using AuthFunctions.Core.Errors;
using AuthFunctions.Core.MagmaKeys;
using AuthFunctions.Core.Plugins;
using AuthFunctions.Core.Principals;
using AuthFunctions.Core.Storage;
using Microsoft.Extensions.Logging;

namespace AuthFunctions.Core.Tenants;

/// <summary>What an administrator asks for when creating a tenant.</summary>
public sealed record NewTenant
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    /// <summary>Who asks: the acting principal's subject; for the security log.</summary>
    public required string CreatedBy { get; init; }
}

/// <summary>Creating, listing and deleting tenants. Ids follow the name rules: NFKC, compared without regard to case.</summary>
public sealed partial class TenantAdministration(
    ITenantStore tenants,
    IMembershipStore memberships,
    TenantMemberships members,
    MagmaKeyAdministration magmaKeys,
    PluginInstallations plugins,
    TimeProvider timeProvider,
    ILogger<TenantAdministration> logger)
{
    public async Task<Outcome<Tenant>> CreateAsync(NewTenant request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!Identifiers.TryName(request.Id, out var id))
        {
            return AuthError.InvalidRequest("'id' must be 1-100 characters: letters, digits, '.', '_' or '-', starting with a letter or digit.");
        }

        if (FieldRules.Text(request.Name, "name", FieldRules.MaxDisplayNameLength, required: true) is { } invalid)
        {
            return invalid;
        }

        var tenant = new Tenant { Id = id, Name = request.Name, CreatedAt = timeProvider.GetUtcNow() };
        if (await tenants.AddAsync(tenant, cancellationToken) != WriteResult.Written)
        {
            return AuthError.Conflict($"A tenant with the id '{id}' exists already (ids compare without regard to case).");
        }

        Log.Created(logger, tenant.Id, request.CreatedBy);
        return tenant;
    }

    /// <summary>
    /// Deletes the tenant and everything that reaches it, in an order that leaves nothing usable when it
    /// stops half-way and lets a retry complete it:
    /// <list type="number">
    /// <item>The tenant is marked as being deleted: from this write on no tenant endpoint finds it (a
    /// realm key, a tenant login, a connection or a member gets 404 or an empty list), and no member,
    /// installation or realm key can be added to it.</item>
    /// <item>Its realm keys go as a key deletion does (cut-off first, so their own and delegated tokens die
    /// at once; then assertion keys, key, cut-off again, listing).</item>
    /// <item>Its members go as a removal does (the membership's cut-off first, so tenant-scoped tokens die
    /// at once; grant; cut-off again; roster).</item>
    /// <item>Every plugin installed in it is uninstalled (installation marked, connection deleted, row deleted).</item>
    /// <item>The tenant's row goes last: until then a retry finds it and repeats what is left.</item>
    /// </list>
    /// </summary>
    public async Task<Outcome<bool>> DeleteAsync(string tenantId, string actor, CancellationToken cancellationToken)
    {
        var tenant = Identifiers.TryName(tenantId, out var id) ? await tenants.FindAnyAsync(id, cancellationToken) : null;
        if (tenant is null || (!tenant.Deleting && !await tenants.MarkDeletingAsync(tenant, cancellationToken)))
        {
            return AuthError.NotFound("There is no tenant with this id.");
        }

        await magmaKeys.DeleteRealmKeysAsync(tenant, actor, cancellationToken);
        for (var page = PageRequest.First; page is not null;)
        {
            var roster = await memberships.ListMembersAsync(tenant.Id, page, cancellationToken);
            foreach (var member in roster.Items)
            {
                await members.RemoveAsync(tenant.Id, member.UserId, actor, cancellationToken);
            }

            page = roster.Next is { } next ? page with { After = next } : null;
        }

        await plugins.UninstallAllAsync(tenant, actor, cancellationToken);
        await tenants.DeleteAsync(tenant, cancellationToken);
        Log.Deleted(logger, tenant.Id, actor);
        return true;
    }

    /// <summary>Every tenant, one page in id order (an administrator's listing: it reads across partitions).</summary>
    public Task<PageOf<Tenant>> ListAsync(PageRequest page, CancellationToken cancellationToken) => tenants.ListAsync(page, cancellationToken);

    private static partial class Log
    {
        [LoggerMessage(EventId = 1221, Level = LogLevel.Information, Message = "Tenant {TenantId} created by {Actor}")]
        public static partial void Created(ILogger logger, string tenantId, string actor);

        [LoggerMessage(EventId = 1225, Level = LogLevel.Information, Message = "Tenant {TenantId} deleted by {Actor}, with its realm keys, members and installations")]
        public static partial void Deleted(ILogger logger, string tenantId, string actor);
    }
}
