using AuthFunctions.Core.Principals;
using AuthFunctions.Core.Storage;
using AuthFunctions.Core.Users;

namespace AuthFunctions.Azure.Tables;

/// <summary>
/// Users by id (table <c>users</c>, PartitionKey = id) and a username claim (table <c>usernames</c>,
/// PartitionKey = the username's comparison key: NFKC, lower case) that makes usernames unique without regard to case.
/// The user row is written first and is unreachable until the claim names it, so a crash between
/// the two writes leaves nothing usable half-made; a lost claim removes the orphan row at once.
/// </summary>
public sealed class UserTable(AuthTables tables) : IUserStore
{
    public async Task<User?> FindByUsernameAsync(string username, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(username);
        var names = await tables.GetAsync(AuthTables.Usernames, cancellationToken);
        var claim = await AuthTables.FindAsync<UsernameEntity>(names, Normalize(username), string.Empty, cancellationToken);

        // The same two point reads whether or not the username exists: an unknown one still reads a
        // user row (of an id no user can have), so the time a password login takes tells nothing.
        var user = await FindByIdAsync(claim?.UserId ?? DecoyUserId, cancellationToken);
        return claim is null ? null : user;
    }

    /// <summary>Not of the shape of our user ids (<c>u_</c> + 16 characters), so never a real row.</summary>
    private const string DecoyUserId = "no-such-user";

    public async Task<User?> FindByIdAsync(string userId, CancellationToken cancellationToken)
    {
        var users = await tables.GetAsync(AuthTables.Users, cancellationToken);
        var entity = await AuthTables.FindAsync<UserEntity>(users, userId, string.Empty, cancellationToken);
        return entity is null ? null : ToUser(entity);
    }

    public async Task<PageOf<User>> ListAsync(string? usernamePrefix, PageRequest page, CancellationToken cancellationToken)
    {
        // The username claims are the index: one partition per comparison key, so a scan of them is in
        // username order and a prefix is a key range. Each claim's user is then a point read.
        var names = await tables.GetAsync(AuthTables.Usernames, cancellationToken);
        var prefix = string.IsNullOrEmpty(usernamePrefix) ? null : Normalize(usernamePrefix);
        var claims = await AuthTables.ScanPageAsync<UsernameEntity>(names, page, cancellationToken, prefix);
        var found = await FindByIdsAsync([.. claims.Items.Select(c => c.UserId)], cancellationToken);

        // A claim whose user row is gone (a deletion a crash interrupted) lists nothing.
        return new PageOf<User>([.. found.OfType<User>()], claims.Next);
    }

    public async Task<IReadOnlyList<User?>> FindByIdsAsync(IReadOnlyList<string> userIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userIds);
        var found = new User?[userIds.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, found.Length),
            new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
            async (i, ct) => found[i] = await FindByIdAsync(userIds[i], ct));
        return found;
    }

    public async Task<bool> UpdateAsync(string userId, UserChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        var users = await tables.GetAsync(AuthTables.Users, cancellationToken);
        var row = new global::Azure.Data.Tables.TableEntity(userId, string.Empty);
        if (change.DisplayName is { } displayName)
        {
            row[nameof(UserEntity.DisplayName)] = displayName;
        }

        if (change.Email is { } email)
        {
            // A merge cannot remove a property; an empty address reads back as none.
            row[nameof(UserEntity.Email)] = email;
        }

        if (change.Rights is { } rights)
        {
            row[nameof(UserEntity.Rights)] = (int)rights;
        }

        if (change.PasswordHash is { } passwordHash)
        {
            row[nameof(UserEntity.PasswordHash)] = passwordHash;
        }

        if (change.Enabled is { } enabled)
        {
            row[nameof(UserEntity.Enabled)] = enabled;
        }

        // Only if the row exists: never an upsert of a deleted user.
        return await AuthTables.TryMergeAsync(users, row, global::Azure.ETag.All, cancellationToken);
    }

    private static User ToUser(UserEntity entity) => new()
    {
        Id = entity.PartitionKey,
        Username = entity.Username,
        PasswordHash = entity.PasswordHash,
        DisplayName = entity.DisplayName,
        Email = string.IsNullOrEmpty(entity.Email) ? null : entity.Email,
        Rights = (Rights)entity.Rights,
        Enabled = entity.Enabled,
        SuperUser = entity.SuperUser,
        CreatedAt = entity.CreatedAt,
    };

    public async Task<WriteResult> AddAsync(User user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var users = await tables.GetAsync(AuthTables.Users, cancellationToken);
        var names = await tables.GetAsync(AuthTables.Usernames, cancellationToken);
        var entity = new UserEntity
        {
            PartitionKey = user.Id,
            Username = user.Username,
            PasswordHash = user.PasswordHash,
            DisplayName = user.DisplayName,
            Email = user.Email,
            Rights = (int)user.Rights,
            Enabled = user.Enabled,
            SuperUser = user.SuperUser,
            CreatedAt = user.CreatedAt,
        };
        if (await AuthTables.TryAddAsync(users, entity, cancellationToken) == WriteResult.Conflict)
        {
            return WriteResult.Conflict;
        }

        var claim = new UsernameEntity { PartitionKey = Normalize(user.Username), UserId = user.Id };
        if (await AuthTables.TryAddAsync(names, claim, cancellationToken) == WriteResult.Written)
        {
            return WriteResult.Written;
        }

        await AuthTables.Run(() => users.DeleteEntityAsync(user.Id, string.Empty, cancellationToken: CancellationToken.None));
        return WriteResult.Conflict;
    }

    public async Task DeleteAsync(User user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var users = await tables.GetAsync(AuthTables.Users, cancellationToken);
        var names = await tables.GetAsync(AuthTables.Usernames, cancellationToken);

        // The claim first: from then on nobody logs in as this user, and the name may be taken again.
        var claim = await AuthTables.FindAsync<UsernameEntity>(names, Normalize(user.Username), string.Empty, cancellationToken);
        if (claim?.UserId == user.Id)
        {
            await AuthTables.Run(() => names.DeleteEntityAsync(claim.PartitionKey, string.Empty, claim.ETag, cancellationToken));
        }

        await AuthTables.DeleteAsync(users, user.Id, string.Empty, cancellationToken);
    }

    /// <summary>Usernames compare after NFKC without regard to case: 'ｂｏｂ', 'Bob' and 'bob' claim one row.</summary>
    private static string Normalize(string username) => Identifiers.KeyOf(username);

    internal sealed class UserEntity : EntityBase
    {
        public string Username { get; set; } = string.Empty;

        public string PasswordHash { get; set; } = string.Empty;

        public string DisplayName { get; set; } = string.Empty;

        public string? Email { get; set; }

        public int Rights { get; set; }

        public bool Enabled { get; set; } = true;

        public bool SuperUser { get; set; }

        public DateTimeOffset CreatedAt { get; set; }
    }

    internal sealed class UsernameEntity : EntityBase
    {
        public string UserId { get; set; } = string.Empty;
    }
}
