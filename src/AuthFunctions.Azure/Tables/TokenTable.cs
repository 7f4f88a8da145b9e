using System.Globalization;
using AuthFunctions.Core.Keys;
using AuthFunctions.Core.Tokens;
using Microsoft.Extensions.Options;

namespace AuthFunctions.Azure.Tables;

/// <summary>
/// Token records partitioned by expiry hour and shard (PartitionKey = <c>yyyyMMddHH-ss</c>,
/// RowKey = jti): a presented token's own <c>exp</c> and <c>jti</c> name its record, so a lookup is a
/// point read; the purge deletes whole expired partitions and never reads live data; shards keep
/// each partition under its throughput target.
/// </summary>
public sealed class TokenTable(AuthTables tables, IOptions<KeyRingOptions>? keyOptions = null) : ITokenRegistry
{
    /// <summary>A cut-off matters while a token issued before it may live: the longest token lifetime, plus skew.</summary>
    private readonly TimeSpan cutoffRetention = (keyOptions?.Value.MaxTokenLifetime ?? TimeSpan.FromDays(365)) + KeyRing.ClockSkew;

    /// <summary>Shards per expiry hour.</summary>
    public const int Shards = 16;

    public async Task RecordAsync(TokenRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var table = await tables.GetAsync(AuthTables.Tokens, cancellationToken);
        var entity = new TokenEntity
        {
            PartitionKey = PartitionFor(record.TokenId, record.ExpiresAt),
            RowKey = record.TokenId,
            Subject = record.Subject,
            Grant = record.Grant,
            IssuedAt = record.IssuedAt,
            ExpiresAt = record.ExpiresAt,
            ClientId = record.ClientId,
            TenantId = record.TenantId,
            Revoked = record.Revoked,
        };
        await AuthTables.Run(() => table.AddEntityAsync(entity, cancellationToken));
    }

    public async Task<TokenRecord?> FindAsync(string tokenId, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AuthTables.Tokens, cancellationToken);
        var entity = await AuthTables.FindAsync<TokenEntity>(table, PartitionFor(tokenId, expiresAt), tokenId, cancellationToken);
        return entity is null
            ? null
            : new TokenRecord
            {
                TokenId = entity.RowKey,
                Subject = entity.Subject,
                Grant = entity.Grant,
                IssuedAt = entity.IssuedAt,
                ExpiresAt = entity.ExpiresAt,
                ClientId = entity.ClientId,
                TenantId = entity.TenantId,
                Revoked = entity.Revoked,
            };
    }

    public async Task<bool> RevokeAsync(string tokenId, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AuthTables.Tokens, cancellationToken);
        var marker = new global::Azure.Data.Tables.TableEntity(PartitionFor(tokenId, expiresAt), tokenId) { [nameof(TokenEntity.Revoked)] = true };
        try
        {
            // A merge of one property, whatever the row's version: revoking twice is revoking once.
            await AuthTables.Run(() => table.UpdateEntityAsync(marker, global::Azure.ETag.All, global::Azure.Data.Tables.TableUpdateMode.Merge, cancellationToken));
            return true;
        }
        catch (global::Azure.RequestFailedException exception) when (exception.Status == 404)
        {
            return false;
        }
    }

    public async Task<DateTimeOffset?> FindCutoffAsync(string principal, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AuthTables.TokenCutoffs, cancellationToken);
        var entity = await AuthTables.FindAsync<CutoffEntity>(table, principal, string.Empty, cancellationToken);
        return entity?.ValidAfter;
    }

    public async Task SetCutoffAsync(string principal, DateTimeOffset validAfter, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AuthTables.TokenCutoffs, cancellationToken);

        // Upsert: setting it again (a retried delete) is harmless; deletions come in time order, so the latest wins.
        var entity = new CutoffEntity { PartitionKey = principal, ValidAfter = validAfter, PurgeAfter = validAfter + cutoffRetention };
        await ExpiryIndex.NoteAsync(tables, AuthTables.TokenCutoffs, principal, string.Empty, entity.PurgeAfter.Value, cancellationToken);
        await AuthTables.Run(() => table.UpsertEntityAsync(entity, global::Azure.Data.Tables.TableUpdateMode.Replace, cancellationToken));
    }

    /// <summary>The partition of one shard of an expiry hour (<c>yyyyMMddHH</c>).</summary>
    public static string PartitionOf(string hour, int shard) => hour + "-" + shard.ToString("D2", CultureInfo.InvariantCulture);

    /// <summary>The partition of a token: its expiry hour (UTC) and a shard from its id.</summary>
    public static string PartitionFor(string tokenId, DateTimeOffset expiresAt)
    {
        ArgumentNullException.ThrowIfNull(tokenId);
        return expiresAt.UtcDateTime.ToString("yyyyMMddHH", CultureInfo.InvariantCulture) + "-" + Shard(tokenId).ToString("D2", CultureInfo.InvariantCulture);
    }

    private static int Shard(string tokenId)
    {
        // FNV-1a: stable across processes (string.GetHashCode is randomised per process).
        var hash = 2166136261u;
        foreach (var c in tokenId)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash % Shards);
    }

    /// <summary>One principal's cut-off (PartitionKey = principal, e.g. <c>magma:name</c>): one point read per validation.</summary>
    internal sealed class CutoffEntity : EntityBase
    {
        public DateTimeOffset ValidAfter { get; set; }

        public DateTimeOffset? PurgeAfter { get; set; }
    }

    internal sealed class TokenEntity : EntityBase
    {
        public string Subject { get; set; } = string.Empty;

        public string Grant { get; set; } = string.Empty;

        public DateTimeOffset IssuedAt { get; set; }

        public DateTimeOffset ExpiresAt { get; set; }

        public string? ClientId { get; set; }

        public string? TenantId { get; set; }

        public bool Revoked { get; set; }
    }
}
