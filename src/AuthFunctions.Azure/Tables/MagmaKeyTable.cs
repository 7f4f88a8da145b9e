using Azure;
using Azure.Data.Tables;
using AuthFunctions.Core.MagmaKeys;
using AuthFunctions.Core.Principals;
using AuthFunctions.Core.Storage;

namespace AuthFunctions.Azure.Tables;

/// <summary>
/// Magma keys, one partition each (PartitionKey = the name's comparison key, <see cref="Identifiers.KeyOf"/>,
/// so case variants are one key): the login is one point read. The name as created is kept for display.
/// A realm key also has a row in its tenant's partition of <c>tenantmagmakeys</c> (RowKey = the name's
/// key) for listing. That row is written before the key and deleted after it: a crash in between leaves
/// a listed key that cannot log in, never a key that logs in unlisted; repeating the request completes it.
/// </summary>
public sealed class MagmaKeyTable(AuthTables tables) : IMagmaKeyStore
{
    /// <summary>Logins with one key at the same moment share its read, never one sent before they asked.</summary>
    private readonly FreshReads<MagmaKeyEntity?> reads = new();

    public async Task<MagmaKey?> FindAsync(string name, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AuthTables.MagmaKeys, cancellationToken);
        var partition = Identifiers.KeyOf(name);
        var entity = await reads.ReadAsync(partition, ct => AuthTables.FindAsync<MagmaKeyEntity>(table, partition, string.Empty, ct), cancellationToken);
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
                Version = entity.ETag.ToString(),
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
        if (key.TenantId is null)
        {
            return await AuthTables.TryAddAsync(table, entity, cancellationToken);
        }

        if (await AuthTables.FindAsync<MagmaKeyEntity>(table, entity.PartitionKey, string.Empty, cancellationToken) is not null)
        {
            return WriteResult.Conflict;
        }

        var listing = await tables.GetAsync(AuthTables.TenantMagmaKeys, cancellationToken);
        await AuthTables.UpsertAsync(listing, RealmKeyEntity.Of(key), cancellationToken);
        var written = await AuthTables.TryAddAsync(table, entity, cancellationToken);
        if (written == WriteResult.Conflict)
        {
            // Lost a race for the name: the listing row must describe the key that won, or go.
            if (await FindAsync(key.Name, cancellationToken) is { TenantId: { } owner } winner && Identifiers.KeyOf(owner) == Identifiers.KeyOf(key.TenantId))
            {
                await AuthTables.UpsertAsync(listing, RealmKeyEntity.Of(winner), cancellationToken);
            }
            else
            {
                await AuthTables.DeleteAsync(listing, Identifiers.KeyOf(key.TenantId), entity.PartitionKey, cancellationToken);
            }
        }

        return written;
    }

    public async Task<bool> DeleteAsync(MagmaKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var table = await tables.GetAsync(AuthTables.MagmaKeys, cancellationToken);
        var version = key.Version is null ? ETag.All : new ETag(key.Version);
        Response response;
        try
        {
            response = await AuthTables.Run(() => table.DeleteEntityAsync(Identifiers.KeyOf(key.Name), string.Empty, version, cancellationToken));
        }
        catch (RequestFailedException exception) when (exception.Status == 412)
        {
            // Not the key that was read: deleted and created again meanwhile. Leave the new one alone.
            return false;
        }

        if (key.TenantId is not null)
        {
            var listing = await tables.GetAsync(AuthTables.TenantMagmaKeys, cancellationToken);
            await AuthTables.DeleteAsync(listing, Identifiers.KeyOf(key.TenantId), Identifiers.KeyOf(key.Name), cancellationToken);
        }

        return response.Status != 404;
    }

    public async Task<bool> DeleteListingAsync(string tenantId, string name, CancellationToken cancellationToken)
    {
        var listing = await tables.GetAsync(AuthTables.TenantMagmaKeys, cancellationToken);
        var response = await AuthTables.Run(() => listing.DeleteEntityAsync(Identifiers.KeyOf(tenantId), Identifiers.KeyOf(name), ETag.All, cancellationToken));
        return response.Status != 404;
    }

    public async Task<bool> SetEnabledAsync(MagmaKey key, bool enabled, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var table = await tables.GetAsync(AuthTables.MagmaKeys, cancellationToken);
        var change = new TableEntity(Identifiers.KeyOf(key.Name), string.Empty) { [nameof(MagmaKeyEntity.Enabled)] = enabled };
        if (!await AuthTables.TryMergeAsync(table, change, key.Version is null ? ETag.All : new ETag(key.Version), cancellationToken))
        {
            return false;
        }

        if (key.TenantId is not null)
        {
            // The listing row follows (a merge that never recreates a row a deletion removed meanwhile);
            // a crash before it leaves the listing showing the old state until the next change. The key
            // row is what logins read.
            var listing = await tables.GetAsync(AuthTables.TenantMagmaKeys, cancellationToken);
            var listed = new TableEntity(Identifiers.KeyOf(key.TenantId), Identifiers.KeyOf(key.Name)) { [nameof(RealmKeyEntity.Enabled)] = enabled };
            await AuthTables.TryMergeAsync(listing, listed, ETag.All, cancellationToken);
        }

        return true;
    }

    public async Task<PageOf<MagmaKeySummary>> ListAsync(PageRequest page, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AuthTables.MagmaKeys, cancellationToken);
        var rows = await AuthTables.ScanPageAsync<MagmaKeyEntity>(table, page, cancellationToken);
        return rows.Select(r => new MagmaKeySummary(string.IsNullOrEmpty(r.Name) ? r.PartitionKey : r.Name, (Rights)r.Rights, r.TenantId, r.ExpiresAt, r.Enabled, r.CreatedAt));
    }

    public async Task<PageOf<MagmaKeySummary>> ListByTenantAsync(string tenantId, PageRequest page, CancellationToken cancellationToken)
    {
        var listing = await tables.GetAsync(AuthTables.TenantMagmaKeys, cancellationToken);
        var rows = await AuthTables.QueryPageAsync<RealmKeyEntity>(listing, Identifiers.KeyOf(tenantId), page, cancellationToken);
        return rows.Select(r => new MagmaKeySummary(r.Name, (Rights)r.Rights, r.TenantId, r.ExpiresAt, r.Enabled, r.CreatedAt));
    }

    /// <summary>A realm key as its tenant's listing shows it (no secret hash).</summary>
    internal sealed class RealmKeyEntity : EntityBase
    {
        public string Name { get; set; } = string.Empty;

        public int Rights { get; set; }

        public string TenantId { get; set; } = string.Empty;

        public DateTimeOffset? ExpiresAt { get; set; }

        public bool Enabled { get; set; } = true;

        public DateTimeOffset CreatedAt { get; set; }

        public static RealmKeyEntity Of(MagmaKey key) => new()
        {
            PartitionKey = Identifiers.KeyOf(key.TenantId!),
            RowKey = Identifiers.KeyOf(key.Name),
            Name = key.Name,
            Rights = (int)key.Rights,
            TenantId = key.TenantId!,
            ExpiresAt = key.ExpiresAt,
            Enabled = key.Enabled,
            CreatedAt = key.CreatedAt,
        };
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
