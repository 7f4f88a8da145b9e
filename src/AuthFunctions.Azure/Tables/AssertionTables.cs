using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using AuthFunctions.Core.MagmaKeys;
using AuthFunctions.Core.Principals;
using AuthFunctions.Core.Storage;
using Azure.Data.Tables;

namespace AuthFunctions.Azure.Tables;

/// <summary>SSO assertion keys: PartitionKey = the magma key's comparison key, RowKey = kid; a login reads one point.</summary>
public sealed class AssertionKeyTable(AuthTables tables) : IAssertionKeyStore
{
    public async Task<AssertionKey?> FindAsync(string keyName, string keyId, CancellationToken cancellationToken)
    {
        if (!Identifiers.TryName(keyId, out var kid))
        {
            return null;
        }

        var table = await tables.GetAsync(AuthTables.AssertionKeys, cancellationToken);
        var entity = await AuthTables.FindAsync<AssertionKeyEntity>(table, Identifiers.KeyOf(keyName), kid, cancellationToken);
        return entity?.ToAssertionKey();
    }

    public async Task<bool> PutAsync(AssertionKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var table = await tables.GetAsync(AuthTables.AssertionKeys, cancellationToken);
        var entity = new AssertionKeyEntity
        {
            PartitionKey = Identifiers.KeyOf(key.KeyName),
            RowKey = key.KeyId,
            KeyName = key.KeyName,
            Jwk = key.Jwk,
            CreatedAt = key.CreatedAt,
            KeyCreatedAt = key.KeyCreatedAt,
        };
        if (await AuthTables.TryAddAsync(table, entity, cancellationToken) == WriteResult.Written)
        {
            return true;
        }

        await AuthTables.Run(() => table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken));
        return false;
    }

    public async Task<bool> DeleteAsync(string keyName, string keyId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AuthTables.AssertionKeys, cancellationToken);
        var response = await AuthTables.Run(() => table.DeleteEntityAsync(Identifiers.KeyOf(keyName), keyId, cancellationToken: cancellationToken));
        return response.Status != 404;
    }

    public async Task<IReadOnlyList<AssertionKey>> ListAsync(string keyName, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AuthTables.AssertionKeys, cancellationToken);
        var rows = await AuthTables.ReadPartitionAsync<AssertionKeyEntity>(table, Identifiers.KeyOf(keyName), cancellationToken);
        return [.. rows.Select(entity => entity.ToAssertionKey())];
    }

    public async Task DeleteAllAsync(string keyName, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AuthTables.AssertionKeys, cancellationToken);
        foreach (var row in await AuthTables.ReadPartitionAsync<AssertionKeyEntity>(table, Identifiers.KeyOf(keyName), cancellationToken))
        {
            await AuthTables.Run(() => table.DeleteEntityAsync(row.PartitionKey, row.RowKey, cancellationToken: cancellationToken));
        }
    }

    internal sealed class AssertionKeyEntity : EntityBase
    {
        public string KeyName { get; set; } = string.Empty;

        public string Jwk { get; set; } = string.Empty;

        public DateTimeOffset CreatedAt { get; set; }

        /// <summary>The magma key's own creation time: which key of that name the row belongs to.</summary>
        public DateTimeOffset? KeyCreatedAt { get; set; }

        public AssertionKey ToAssertionKey() => new() { KeyName = KeyName, KeyId = RowKey, Jwk = Jwk, CreatedAt = CreatedAt, KeyCreatedAt = KeyCreatedAt };
    }
}

/// <summary>
/// Used assertion jtis, partitioned by the assertion's expiry hour (like token records), so the purge
/// drops whole expired partitions; RowKey = the magma key's comparison key and the jti's SHA-256 (a
/// jti may hold characters Table keys forbid). The insert is the single-use check: a 409 is a replay.
/// </summary>
public sealed class AssertionReplayTable(AuthTables tables) : IAssertionReplayStore
{
    public async Task<bool> TryUseAsync(string keyName, string tokenId, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tokenId);
        var table = await tables.GetAsync(AuthTables.AssertionReplays, cancellationToken);
        var entity = new UsedAssertionEntity
        {
            PartitionKey = expiresAt.UtcDateTime.ToString("yyyyMMddHH", CultureInfo.InvariantCulture),
            RowKey = Identifiers.KeyOf(keyName) + ":" + Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(tokenId))),
            ExpiresAt = expiresAt,
        };
        return await AuthTables.TryAddAsync(table, entity, cancellationToken) == WriteResult.Written;
    }

    internal sealed class UsedAssertionEntity : EntityBase
    {
        public DateTimeOffset ExpiresAt { get; set; }
    }
}
