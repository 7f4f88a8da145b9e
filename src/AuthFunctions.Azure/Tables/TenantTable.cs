using AuthFunctions.Core.Storage;
using AuthFunctions.Core.Tenants;

namespace AuthFunctions.Azure.Tables;

/// <summary>Tenants, one partition each (PartitionKey = tenant id): every read is a point read.</summary>
public sealed class TenantTable(AuthTables tables) : ITenantStore
{
    public async Task<Tenant?> FindAsync(string tenantId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AuthTables.Tenants, cancellationToken);
        var entity = await AuthTables.FindAsync<TenantEntity>(table, tenantId, string.Empty, cancellationToken);
        return entity is null ? null : new Tenant { Id = entity.PartitionKey, Name = entity.Name, CreatedAt = entity.CreatedAt };
    }

    public async Task<WriteResult> AddAsync(Tenant tenant, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        var table = await tables.GetAsync(AuthTables.Tenants, cancellationToken);
        var entity = new TenantEntity { PartitionKey = tenant.Id, Name = tenant.Name, CreatedAt = tenant.CreatedAt };
        return await AuthTables.TryAddAsync(table, entity, cancellationToken);
    }

    internal sealed class TenantEntity : EntityBase
    {
        public string Name { get; set; } = string.Empty;

        public DateTimeOffset CreatedAt { get; set; }
    }
}
