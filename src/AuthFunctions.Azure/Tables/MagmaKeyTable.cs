using AuthFunctions.Core.MagmaKeys;
using AuthFunctions.Core.Principals;
using AuthFunctions.Core.Storage;

namespace AuthFunctions.Azure.Tables;

/// <summary>Magma keys, one partition each (PartitionKey = name): the login is one point read.</summary>
public sealed class MagmaKeyTable(AuthTables tables) : IMagmaKeyStore
{
    public async Task<MagmaKey?> FindAsync(string name, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AuthTables.MagmaKeys, cancellationToken);
        var entity = await AuthTables.FindAsync<MagmaKeyEntity>(table, name, string.Empty, cancellationToken);
        return entity is null
            ? null
            : new MagmaKey
            {
                Name = entity.PartitionKey,
                SecretHash = entity.SecretHash,
                Rights = (Rights)entity.Rights,
                TenantId = entity.TenantId,
                ExpiresAt = entity.ExpiresAt,
                Enabled = entity.Enabled,
                CreatedAt = entity.CreatedAt,
            };
    }

    public async Task<WriteResult> AddAsync(MagmaKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var table = await tables.GetAsync(AuthTables.MagmaKeys, cancellationToken);
        var entity = new MagmaKeyEntity
        {
            PartitionKey = key.Name,
            SecretHash = key.SecretHash,
            Rights = (int)key.Rights,
            TenantId = key.TenantId,
            ExpiresAt = key.ExpiresAt,
            Enabled = key.Enabled,
            CreatedAt = key.CreatedAt,
        };
        return await AuthTables.TryAddAsync(table, entity, cancellationToken);
    }

    public async Task<bool> DeleteAsync(string name, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AuthTables.MagmaKeys, cancellationToken);
        var response = await AuthTables.Run(() => table.DeleteEntityAsync(name, string.Empty, cancellationToken: cancellationToken));
        return response.Status != 404;
    }

    internal sealed class MagmaKeyEntity : EntityBase
    {
        public string SecretHash { get; set; } = string.Empty;

        public int Rights { get; set; }

        public string? TenantId { get; set; }

        public DateTimeOffset? ExpiresAt { get; set; }

        public bool Enabled { get; set; } = true;

        public DateTimeOffset CreatedAt { get; set; }
    }
}
