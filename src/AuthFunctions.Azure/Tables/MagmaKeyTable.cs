using AuthFunctions.Core.MagmaKeys;
using AuthFunctions.Core.Principals;
using AuthFunctions.Core.Storage;

namespace AuthFunctions.Azure.Tables;

/// <summary>
/// Magma keys, one partition each (PartitionKey = the name's comparison key, <see cref="Identifiers.KeyOf"/>,
/// so case variants are one key): the login is one point read. The name as created is kept for display.
/// </summary>
public sealed class MagmaKeyTable(AuthTables tables) : IMagmaKeyStore
{
    public async Task<MagmaKey?> FindAsync(string name, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AuthTables.MagmaKeys, cancellationToken);
        var entity = await AuthTables.FindAsync<MagmaKeyEntity>(table, Identifiers.KeyOf(name), string.Empty, cancellationToken);
        return entity is null
            ? null
            : new MagmaKey
            {
                Name = string.IsNullOrEmpty(entity.Name) ? entity.PartitionKey : entity.Name,
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
            PartitionKey = Identifiers.KeyOf(key.Name),
            Name = key.Name,
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
        var response = await AuthTables.Run(() => table.DeleteEntityAsync(Identifiers.KeyOf(name), string.Empty, cancellationToken: cancellationToken));
        return response.Status != 404;
    }

    internal sealed class MagmaKeyEntity : EntityBase
    {
        /// <summary>The name as created (rows written before names were case-insensitive lack it).</summary>
        public string? Name { get; set; }

        public string SecretHash { get; set; } = string.Empty;

        public int Rights { get; set; }

        public string? TenantId { get; set; }

        public DateTimeOffset? ExpiresAt { get; set; }

        public bool Enabled { get; set; } = true;

        public DateTimeOffset CreatedAt { get; set; }
    }
}
