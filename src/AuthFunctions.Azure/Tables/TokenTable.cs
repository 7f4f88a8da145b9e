using System.Buffers.Binary;
using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using Azure;
using Azure.Data.Tables;
using AuthFunctions.Core.Storage;
using AuthFunctions.Core.Keys;
using AuthFunctions.Core.Tokens;
using Microsoft.Extensions.Options;

namespace AuthFunctions.Azure.Tables;

/// <summary>
/// Token records partitioned by expiry hour and shard (PartitionKey = <c>yyyyMMddHH-ss</c>,
/// RowKey = jti): a presented token's own <c>exp</c> and <c>jti</c> name its record, so a lookup is a
/// point read; the purge deletes whole expired partitions and never reads live data; shards keep
/// each partition under its throughput target. The shard is a hash of the jti, and the jti is drawn
/// here (<see cref="NewTokenId"/>) so that tokens issued together land in one shard and their records
/// go out together in few entity group transactions.
/// </summary>
public sealed class TokenTable(AuthTables tables, IOptions<KeyRingOptions>? keyOptions = null) : ITokenRegistry
{
    /// <summary>A cut-off matters while a token issued before it may live: the longest token lifetime, plus skew.</summary>
    private readonly TimeSpan cutoffRetention = (keyOptions?.Value.MaxTokenLifetime ?? TimeSpan.FromDays(365)) + KeyRing.ClockSkew;

    /// <summary>Shards per expiry hour.</summary>
    public const int Shards = 16;

    /// <summary>The most entities one entity group transaction may hold.</summary>
    internal const int MaxBatch = 100;

    /// <summary>Tokens drawn in a row share a shard in runs of this many: one full transaction's worth.</summary>
    internal const int RunLength = MaxBatch;

    /// <summary>Ids drawn so far.</summary>
    private int drawn;

    /// <summary>This instance's secret for choosing the shard of each run (see <see cref="NewTokenId"/>).</summary>
    private readonly byte[] runKey = RandomNumberGenerator.GetBytes(32);

    /// <summary>The tokens of one client checked at the same moment share its cut-off's read, never one sent before they asked.</summary>
    private readonly FreshReads<CutoffEntity?> cutoffReads = new();

    private readonly ShardQueue[] queues = [.. Enumerable.Range(0, Shards).Select(_ => new ShardQueue())];

    /// <summary>
    /// A random id whose record falls in the shard of the current run: each run of <see cref="RunLength"/>
    /// tokens drawn in a row shares one shard. The records of one moment then wait for the same writer and
    /// go out in few transactions, where ids spread over every shard would give each shard's writer a
    /// record or two each time. Each run's shard is chosen by a keyed hash (HMAC-SHA256 under a secret of
    /// this instance) of the run's number: over time each shard of an hour takes a sixteenth of the writes,
    /// in bursts of one run, and the shard a token's jti shows says nothing about how many tokens were
    /// issued before or between. The id stays uniformly random among the ids of its shard (124 bits):
    /// random ids are drawn until one falls in it, 16 draws on average, and the lookup is unchanged, so
    /// records written before this rule are found as before.
    /// </summary>
    public string NewTokenId()
    {
        Span<byte> run = stackalloc byte[sizeof(uint)];
        BinaryPrimitives.WriteUInt32LittleEndian(run, (uint)Interlocked.Increment(ref drawn) / RunLength);
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(runKey, run, mac);
        var shard = (int)(BinaryPrimitives.ReadUInt32LittleEndian(mac) % Shards);
        Span<byte> random = stackalloc byte[TokenIds.RandomBytes * 16];
        Span<char> id = stackalloc char[TokenIds.Length];
        while (true)
        {
            RandomNumberGenerator.Fill(random);
            for (var offset = 0; offset < random.Length; offset += TokenIds.RandomBytes)
            {
                Base64Url.EncodeToChars(random.Slice(offset, TokenIds.RandomBytes), id);
                if (Shard(id) == shard)
                {
                    return new string(id);
                }
            }
        }
    }

    /// <summary>
    /// Writes the record by group commit: records of one partition that wait at the same moment go in
    /// one entity group transaction (all or nothing), so under load a login costs a share of a write
    /// instead of a whole one, and alone it costs one insert as before. The call returns once its
    /// record is durable, or throws as a single insert would; a batch refused as a whole (one record
    /// rejected) is retried record by record so that one bad record fails only its own login.
    /// </summary>
    public async Task RecordAsync(TokenRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var table = await tables.GetAsync(AuthTables.Tokens, cancellationToken);
        var pending = new PendingRecord(new TokenEntity
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
        });
        var queue = queues[Shard(record.TokenId)];
        if (queue.Enqueue(pending))
        {
            // The first to wait writes for everyone who arrives while it writes; it runs apart from any
            // one request (nor with its context), so a caller that gives up never strands the others.
            using (ExecutionContext.SuppressFlow())
            {
                _ = Task.Run(() => FlushAsync(table, queue), CancellationToken.None);
            }
        }

        await pending.Written.Task.WaitAsync(cancellationToken);
    }

    private static async Task FlushAsync(TableClient table, ShardQueue queue)
    {
        while (queue.TakeBatch() is { } batch)
        {
            try
            {
                await Task.WhenAll(batch.GroupBy(p => p.Entity.PartitionKey, StringComparer.Ordinal).Select(group => WriteAsync(table, [.. group])));
            }
            catch (Exception exception)
            {
                // WriteAsync answers every record itself; should it ever throw, no caller is left waiting.
                foreach (var record in batch)
                {
                    record.Written.TrySetException(exception);
                }
            }
        }
    }

    private static async Task WriteAsync(TableClient table, IReadOnlyList<PendingRecord> records)
    {
        try
        {
            if (records.Count == 1)
            {
                await AuthTables.Run(() => table.AddEntityAsync(records[0].Entity, CancellationToken.None));
            }
            else
            {
                await AuthTables.Run(() => table.SubmitTransactionAsync([.. records.Select(r => new TableTransactionAction(TableTransactionActionType.Add, r.Entity))], CancellationToken.None));
            }
        }
        catch (Exception exception) when (records.Count > 1 && exception is RequestFailedException or StoreRejectedInputException)
        {
            // Refused as a whole (nothing was written): each record on its own, failing alone if it must.
            await Task.WhenAll(records.Select(r => WriteAsync(table, [r])));
            return;
        }
        catch (Exception exception)
        {
            foreach (var record in records)
            {
                record.Written.TrySetException(exception);
            }

            return;
        }

        foreach (var record in records)
        {
            record.Written.TrySetResult();
        }
    }

    private sealed class PendingRecord(TokenEntity entity)
    {
        public TokenEntity Entity { get; } = entity;

        public TaskCompletionSource Written { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>The records of one shard waiting to be written, and whether a writer is at work on them.</summary>
    private sealed class ShardQueue
    {
        private readonly Lock gate = new();
        private readonly List<PendingRecord> waiting = [];
        private bool flushing;

        /// <summary>Adds the record; true when the caller must start the writer (none is at work).</summary>
        public bool Enqueue(PendingRecord record)
        {
            lock (gate)
            {
                waiting.Add(record);
                if (flushing)
                {
                    return false;
                }

                flushing = true;
                return true;
            }
        }

        /// <summary>Up to <see cref="MaxBatch"/> records in arrival order; null (and the writer stops) when none wait.</summary>
        public List<PendingRecord>? TakeBatch()
        {
            lock (gate)
            {
                if (waiting.Count == 0)
                {
                    flushing = false;
                    return null;
                }

                var count = Math.Min(MaxBatch, waiting.Count);
                var batch = waiting.GetRange(0, count);
                waiting.RemoveRange(0, count);
                return batch;
            }
        }
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
        var entity = await cutoffReads.ReadAsync(principal, ct => AuthTables.FindAsync<CutoffEntity>(table, principal, string.Empty, ct), cancellationToken);
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

    private static int Shard(ReadOnlySpan<char> tokenId)
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
