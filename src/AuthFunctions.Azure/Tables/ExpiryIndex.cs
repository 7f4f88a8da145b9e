using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;

namespace AuthFunctions.Azure.Tables;

/// <summary>
/// Rows that are not laid out by expiry (login failure counters, cut-offs, API token metadata) are
/// noted here (table <c>expiries</c>, PartitionKey = the hour after which they may go), so that the
/// purge finds them by reading expired hours only, never a live partition. Each such row carries its
/// own <see cref="PurgeAfter"/>: the purge deletes it only if that has passed when it looks (a row
/// updated since it was noted has a later one), under the ETag it read.
/// </summary>
public static class ExpiryIndex
{
    public const string PurgeAfter = "PurgeAfter";

    /// <summary>The partition of an hour, as token records and assertion jtis name theirs.</summary>
    public static string HourOf(DateTimeOffset moment) => moment.UtcDateTime.ToString("yyyyMMddHH", CultureInfo.InvariantCulture);

    /// <summary>Notes a row before it is written: a note without its row is dropped by the purge; a row without its note would stay forever.</summary>
    public static async Task NoteAsync(AuthTables tables, string table, string partitionKey, string rowKey, DateTimeOffset purgeAfter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tables);
        var index = await tables.GetAsync(AuthTables.Expiries, cancellationToken);
        var note = new TableEntity(HourOf(purgeAfter), NoteKey(table, partitionKey, rowKey))
        {
            ["Table"] = table,
            ["TargetPartitionKey"] = partitionKey,
            ["TargetRowKey"] = rowKey,
        };
        await AuthTables.Run(() => index.UpsertEntityAsync(note, TableUpdateMode.Replace, cancellationToken));
    }

    /// <summary>Deletes the noted row if its own <see cref="PurgeAfter"/> has passed, then the note; true when the row went.</summary>
    public static async Task<bool> PurgeNoteAsync(AuthTables tables, TableClient index, TableEntity note, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(note);
        var removed = false;
        if (note.GetString("Table") is { } name && note.GetString("TargetPartitionKey") is { } partitionKey && note.GetString("TargetRowKey") is { } rowKey)
        {
            var target = await tables.GetAsync(name, cancellationToken);
            var row = await AuthTables.FindAsync<TableEntity>(target, partitionKey, rowKey, cancellationToken);
            if (row?.GetDateTimeOffset(PurgeAfter) is { } due && due <= now)
            {
                try
                {
                    await AuthTables.Run(() => target.DeleteEntityAsync(partitionKey, rowKey, row.ETag, cancellationToken));
                    removed = true;
                }
                catch (RequestFailedException exception) when (exception.Status == 412)
                {
                    // Written again since it was read: alive, and noted again under its new hour.
                }
            }
        }

        await AuthTables.Run(() => index.DeleteEntityAsync(note.PartitionKey, note.RowKey, ETag.All, cancellationToken));
        return removed;
    }

    private static string NoteKey(string table, string partitionKey, string rowKey) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(table + "\n" + partitionKey + "\n" + rowKey)));
}
