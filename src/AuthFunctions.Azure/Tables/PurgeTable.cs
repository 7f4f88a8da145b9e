using Azure;
using Azure.Data.Tables;
using AuthFunctions.Core.Purge;

namespace AuthFunctions.Azure.Tables;

/// <summary>
/// What the purge deletes, by hour of expiry: token records (16 shard partitions per hour), used
/// assertion jtis (one partition per hour) and the expiry index (one partition per hour; each note's
/// row goes too, see <see cref="ExpiryIndex"/>). Whole partitions are read and deleted in entity
/// group transactions of up to 100 rows; live partitions are never read. Watermarks live in
/// <c>purgestate</c> (PartitionKey = kind) and move under their ETag.
/// </summary>
public sealed class PurgeTable(AuthTables tables) : IPurgeStore
{
    public const string TokenKind = "tokens";
    public const string AssertionKind = "assertionjtis";
    public const string ExpiryKind = "expiries";

    private const int BatchSize = 100;

    public IReadOnlyList<string> Kinds { get; } = [TokenKind, AssertionKind, ExpiryKind];

    public async Task<(DateTimeOffset? Hour, string? Version)> ReadWatermarkAsync(string kind, CancellationToken cancellationToken)
    {
        var state = await tables.GetAsync(AuthTables.PurgeState, cancellationToken);
        var row = await AuthTables.FindAsync<WatermarkEntity>(state, kind, string.Empty, cancellationToken);
        return row is null ? (null, null) : (row.Hour, row.ETag.ToString());
    }

    public async Task<bool> TryAdvanceWatermarkAsync(string kind, DateTimeOffset hour, string? version, CancellationToken cancellationToken)
    {
        var state = await tables.GetAsync(AuthTables.PurgeState, cancellationToken);
        var row = new WatermarkEntity { PartitionKey = kind, Hour = hour };
        if (version is null)
        {
            return await AuthTables.TryAddAsync(state, row, cancellationToken) == Core.Storage.WriteResult.Written;
        }

        return await AuthTables.TryReplaceAsync(state, row, new ETag(version), cancellationToken) is not null;
    }

    public async Task<int> PurgeHourAsync(string kind, DateTimeOffset hour, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var bucket = ExpiryIndex.HourOf(hour);
        switch (kind)
        {
            case TokenKind:
                var tokens = await tables.GetAsync(AuthTables.Tokens, cancellationToken);
                var removed = 0;
                for (var shard = 0; shard < TokenTable.Shards; shard++)
                {
                    removed += await DeletePartitionAsync(tokens, TokenTable.PartitionOf(bucket, shard), cancellationToken);
                }

                return removed;
            case AssertionKind:
                return await DeletePartitionAsync(await tables.GetAsync(AuthTables.AssertionReplays, cancellationToken), bucket, cancellationToken);
            case ExpiryKind:
                var index = await tables.GetAsync(AuthTables.Expiries, cancellationToken);
                var notes = await AuthTables.ReadPartitionAsync<TableEntity>(index, bucket, cancellationToken);
                var gone = 0;
                foreach (var note in notes)
                {
                    gone += await ExpiryIndex.PurgeNoteAsync(tables, index, note, now, cancellationToken) ? 1 : 0;
                }

                return gone;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a kind of data the purge knows.");
        }
    }

    /// <summary>Deletes every row of one partition, a hundred at a time in one transaction each.</summary>
    private static async Task<int> DeletePartitionAsync(TableClient table, string partitionKey, CancellationToken cancellationToken)
    {
        var keys = (await AuthTables.ReadPartitionAsync<TableEntity>(table, partitionKey, cancellationToken, select: ["RowKey"])).Select(r => r.RowKey).ToList();
        foreach (var batch in keys.Chunk(BatchSize))
        {
            var actions = batch.Select(rowKey => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partitionKey, rowKey), ETag.All)).ToList();
            try
            {
                await AuthTables.Run(() => table.SubmitTransactionAsync(actions, cancellationToken));
            }
            catch (TableTransactionFailedException exception) when (exception.Status == 404)
            {
                // Another run deleted some of them first: delete the rest one by one.
                foreach (var rowKey in batch)
                {
                    await AuthTables.DeleteAsync(table, partitionKey, rowKey, cancellationToken);
                }
            }
        }

        return keys.Count;
    }

    internal sealed class WatermarkEntity : EntityBase
    {
        public DateTimeOffset Hour { get; set; }
    }
}
