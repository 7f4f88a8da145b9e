using AuthFunctions.Core.Users;
using Azure;
using Azure.Data.Tables;

namespace AuthFunctions.Azure.Tables;

/// <summary>
/// Counted password attempts per submitted username (PartitionKey = its comparison key): a point read
/// beside the user's on every login, written with ETags before the password is checked, so that
/// concurrent attempts lose no increment and none is checked uncounted.
/// </summary>
public sealed class LoginFailureTable(AuthTables tables) : ILoginFailureStore
{
    public async Task<LoginFailures?> FindAsync(string usernameKey, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AuthTables.LoginFailures, cancellationToken);
        var entity = await AuthTables.FindAsync<LoginFailureEntity>(table, usernameKey, string.Empty, cancellationToken);
        return entity is null
            ? null
            : new LoginFailures
            {
                UsernameKey = entity.PartitionKey,
                Count = entity.Count,
                WindowStart = entity.WindowStart,
                LockedUntil = entity.LockedUntil,
                Version = entity.ETag.ToString(),
            };
    }

    public async Task<bool> TryWriteAsync(LoginFailures failures, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(failures);
        var table = await tables.GetAsync(AuthTables.LoginFailures, cancellationToken);
        // Windows and locks last minutes: a day after the later of the two, the counter is surely dead.
        var purgeAfter = (failures.LockedUntil is { } lockedUntil && lockedUntil > failures.WindowStart ? lockedUntil : failures.WindowStart) + TimeSpan.FromDays(1);
        var entity = new LoginFailureEntity
        {
            PartitionKey = failures.UsernameKey,
            Count = failures.Count,
            WindowStart = failures.WindowStart,
            LockedUntil = failures.LockedUntil,
            PurgeAfter = purgeAfter,
        };
        await ExpiryIndex.NoteAsync(tables, AuthTables.LoginFailures, entity.PartitionKey, entity.RowKey, purgeAfter, cancellationToken);
        if (failures.Version is null)
        {
            return await AuthTables.TryAddAsync(table, entity, cancellationToken) == Core.Storage.WriteResult.Written;
        }

        // False when another instance wrote (or reset) it first: the caller re-reads and tries again.
        return await AuthTables.TryReplaceAsync(table, entity, new ETag(failures.Version), cancellationToken) is not null;
    }

    public async Task ResetAsync(string usernameKey, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AuthTables.LoginFailures, cancellationToken);
        await AuthTables.Run(() => table.DeleteEntityAsync(usernameKey, string.Empty, cancellationToken: cancellationToken));
    }

    internal sealed class LoginFailureEntity : EntityBase
    {
        public int Count { get; set; }

        public DateTimeOffset WindowStart { get; set; }

        public DateTimeOffset? LockedUntil { get; set; }

        public DateTimeOffset? PurgeAfter { get; set; }
    }
}
