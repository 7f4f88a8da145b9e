using Azure;
using Azure.Data.Tables;
using AuthFunctions.Core.Principals;
using AuthFunctions.Core.Storage;
using AuthFunctions.Core.Tenants;

namespace AuthFunctions.Azure.Tables;

/// <summary>
/// Memberships, one row per direction: <c>usertenants</c> (PartitionKey = user id, RowKey = the tenant
/// id's key) is the grant that access checks read with a point read and <c>GET /tenants</c> lists with
/// one partition query; <c>tenantmembers</c> (PartitionKey = the tenant id's key, RowKey = user id) is the
/// roster. Each method writes one row, conditional on its ETag; <see cref="TenantMemberships"/> orders them.
/// </summary>
public sealed class MembershipTable(AuthTables tables) : IMembershipStore
{
    public async Task<Membership?> FindAsync(string userId, string tenantId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AuthTables.UserTenants, cancellationToken);
        var row = await AuthTables.FindAsync<MembershipEntity>(table, userId, Identifiers.KeyOf(tenantId), cancellationToken);
        return row?.ToMembership();
    }

    public async Task<Membership?> FindRosterAsync(string tenantId, string userId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AuthTables.TenantMembers, cancellationToken);
        var row = await AuthTables.FindAsync<MembershipEntity>(table, Identifiers.KeyOf(tenantId), userId, cancellationToken);
        return row?.ToMembership();
    }

    public async Task<PageOf<Membership>> ListTenantsAsync(string userId, PageRequest page, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AuthTables.UserTenants, cancellationToken);
        return (await AuthTables.QueryPageAsync<MembershipEntity>(table, userId, page, cancellationToken)).Select(r => r.ToMembership());
    }

    public async Task<PageOf<Membership>> ListMembersAsync(string tenantId, PageRequest page, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AuthTables.TenantMembers, cancellationToken);
        return (await AuthTables.QueryPageAsync<MembershipEntity>(table, Identifiers.KeyOf(tenantId), page, cancellationToken)).Select(r => r.ToMembership());
    }

    public async Task<bool> TryPutGrantAsync(Membership membership, string? expectedVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(membership);
        var table = await tables.GetAsync(AuthTables.UserTenants, cancellationToken);
        return await TryPutAsync(table, MembershipEntity.Of(membership, membership.UserId, Identifiers.KeyOf(membership.TenantId)), expectedVersion, cancellationToken);
    }

    public async Task<bool> TryPutRosterAsync(Membership membership, string? expectedVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(membership);
        var table = await tables.GetAsync(AuthTables.TenantMembers, cancellationToken);
        return await TryPutAsync(table, MembershipEntity.Of(membership, Identifiers.KeyOf(membership.TenantId), membership.UserId), expectedVersion, cancellationToken);
    }

    public async Task<bool> TryDeleteGrantAsync(string userId, string tenantId, string expectedVersion, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AuthTables.UserTenants, cancellationToken);
        return await TryDeleteAsync(table, userId, Identifiers.KeyOf(tenantId), expectedVersion, cancellationToken);
    }

    public async Task<bool> TryDeleteRosterAsync(string tenantId, string userId, string expectedVersion, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AuthTables.TenantMembers, cancellationToken);
        return await TryDeleteAsync(table, Identifiers.KeyOf(tenantId), userId, expectedVersion, cancellationToken);
    }

    private static async Task<bool> TryPutAsync(TableClient table, MembershipEntity row, string? expectedVersion, CancellationToken cancellationToken) =>
        expectedVersion is null
            ? await AuthTables.TryAddAsync(table, row, cancellationToken) == WriteResult.Written
            : await AuthTables.TryReplaceAsync(table, row, new ETag(expectedVersion), cancellationToken) is not null;

    private static Task<bool> TryDeleteAsync(TableClient table, string partitionKey, string rowKey, string expectedVersion, CancellationToken cancellationToken) =>
        AuthTables.TryDeleteAsync(table, partitionKey, rowKey, new ETag(expectedVersion), cancellationToken);

    internal sealed class MembershipEntity : EntityBase
    {
        public string TenantId { get; set; } = string.Empty;

        public string TenantName { get; set; } = string.Empty;

        public string UserId { get; set; } = string.Empty;

        public string Role { get; set; } = string.Empty;

        public DateTimeOffset AddedAt { get; set; }

        public static MembershipEntity Of(Membership membership, string partitionKey, string rowKey) => new()
        {
            PartitionKey = partitionKey,
            RowKey = rowKey,
            TenantId = membership.TenantId,
            TenantName = membership.TenantName,
            UserId = membership.UserId,
            Role = TenantRoles.NameOf(membership.Role),
            AddedAt = membership.AddedAt,
        };

        public Membership ToMembership() => new()
        {
            TenantId = TenantId,
            TenantName = TenantName,
            UserId = UserId,

            // A role this version does not know grants the least.
            Role = TenantRoles.TryParse(Role, out var role) ? role.Value : TenantRole.Operator,
            AddedAt = AddedAt,
            Version = ETag.ToString(),
        };
    }
}
