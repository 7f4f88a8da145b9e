using Azure;
using Azure.Data.Tables;
using AuthFunctions.Core.Principals;
using AuthFunctions.Core.Storage;
using AuthFunctions.Core.Tenants;

namespace AuthFunctions.Azure.Tables;

/// <summary>
/// Tenants, one partition each (PartitionKey = the id's comparison key, <see cref="Identifiers.KeyOf"/>):
/// every read is a point read. The id as created is kept.
/// </summary>
public sealed class TenantTable(AuthTables tables) : ITenantStore
{
    public async Task<Tenant?> FindAsync(string tenantId, CancellationToken cancellationToken) =>
        await FindAnyAsync(tenantId, cancellationToken) is { Deleting: false } tenant ? tenant : null;

    public async Task<Tenant?> FindAnyAsync(string tenantId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AuthTables.Tenants, cancellationToken);
        var entity = await AuthTables.FindAsync<TenantEntity>(table, Identifiers.KeyOf(tenantId), string.Empty, cancellationToken);
        return entity is null ? null : ToTenant(entity);
    }

    public async Task<bool> MarkDeletingAsync(Tenant tenant, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        var table = await tables.GetAsync(AuthTables.Tenants, cancellationToken);
        var change = new TableEntity(Identifiers.KeyOf(tenant.Id), string.Empty) { [nameof(TenantEntity.Deleting)] = true };
        return await AuthTables.TryMergeAsync(table, change, ETag.All, cancellationToken);
    }

    public async Task DeleteAsync(Tenant tenant, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        var table = await tables.GetAsync(AuthTables.Tenants, cancellationToken);
        await AuthTables.DeleteAsync(table, Identifiers.KeyOf(tenant.Id), string.Empty, cancellationToken);
    }

    public async Task<PageOf<Tenant>> ListAsync(PageRequest page, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AuthTables.Tenants, cancellationToken);
        return (await AuthTables.ScanPageAsync<TenantEntity>(table, page, cancellationToken)).Select(ToTenant);
    }

    private static Tenant ToTenant(TenantEntity entity) =>
        new() { Id = string.IsNullOrEmpty(entity.Id) ? entity.PartitionKey : entity.Id, Name = entity.Name, CreatedAt = entity.CreatedAt, Deleting = entity.Deleting };

    public async Task<WriteResult> AddAsync(Tenant tenant, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        var table = await tables.GetAsync(AuthTables.Tenants, cancellationToken);
        var entity = new TenantEntity { PartitionKey = Identifiers.KeyOf(tenant.Id), Id = tenant.Id, Name = tenant.Name, CreatedAt = tenant.CreatedAt };
        return await AuthTables.TryAddAsync(table, entity, cancellationToken);
    }

    internal sealed class TenantEntity : EntityBase
    {
        public string? Id { get; set; }

        public string Name { get; set; } = string.Empty;

        public DateTimeOffset CreatedAt { get; set; }

        public bool Deleting { get; set; }
    }
}
