using AuthFunctions.Core.Storage;
using AuthFunctions.Core.Tokens;

namespace AuthFunctions.Azure.Tables;

/// <summary>
/// API token metadata: <c>apitokenids</c> (PartitionKey = id, a point read for revocation) and
/// <c>apitokens</c> (PartitionKey = user id, RowKey = id, one partition per user's listing). Both are
/// noted in <see cref="ExpiryIndex"/> at the token's expiry, so the purge removes them then.
/// </summary>
public sealed class ApiTokenTable(AuthTables tables) : IApiTokenStore
{
    public async Task AddAsync(ApiToken token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        var ids = await tables.GetAsync(AuthTables.ApiTokenIds, cancellationToken);
        var listing = await tables.GetAsync(AuthTables.ApiTokens, cancellationToken);
        await ExpiryIndex.NoteAsync(tables, AuthTables.ApiTokenIds, token.Id, string.Empty, token.ExpiresAt, cancellationToken);
        await ExpiryIndex.NoteAsync(tables, AuthTables.ApiTokens, token.UserId, token.Id, token.ExpiresAt, cancellationToken);
        await AuthTables.UpsertAsync(ids, ApiTokenEntity.Of(token, token.Id, string.Empty), cancellationToken);
        await AuthTables.UpsertAsync(listing, ApiTokenEntity.Of(token, token.UserId, token.Id), cancellationToken);
    }

    public async Task<ApiToken?> FindAsync(string id, CancellationToken cancellationToken)
    {
        var ids = await tables.GetAsync(AuthTables.ApiTokenIds, cancellationToken);
        return (await AuthTables.FindAsync<ApiTokenEntity>(ids, id, string.Empty, cancellationToken))?.ToToken();
    }

    public async Task<PageOf<ApiToken>> ListAsync(string userId, PageRequest page, CancellationToken cancellationToken)
    {
        var listing = await tables.GetAsync(AuthTables.ApiTokens, cancellationToken);
        return (await AuthTables.QueryPageAsync<ApiTokenEntity>(listing, userId, page, cancellationToken)).Select(r => r.ToToken());
    }

    public async Task DeleteAsync(ApiToken token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        var listing = await tables.GetAsync(AuthTables.ApiTokens, cancellationToken);
        var ids = await tables.GetAsync(AuthTables.ApiTokenIds, cancellationToken);
        await AuthTables.DeleteAsync(listing, token.UserId, token.Id, cancellationToken);
        await AuthTables.DeleteAsync(ids, token.Id, string.Empty, cancellationToken);
    }

    internal sealed class ApiTokenEntity : EntityBase
    {
        public string Id { get; set; } = string.Empty;

        public string UserId { get; set; } = string.Empty;

        public string? Description { get; set; }

        public DateTimeOffset CreatedAt { get; set; }

        public DateTimeOffset ExpiresAt { get; set; }

        public string CreatedBy { get; set; } = string.Empty;

        public DateTimeOffset? PurgeAfter { get; set; }

        public static ApiTokenEntity Of(ApiToken token, string partitionKey, string rowKey) => new()
        {
            PartitionKey = partitionKey,
            RowKey = rowKey,
            Id = token.Id,
            UserId = token.UserId,
            Description = token.Description,
            CreatedAt = token.CreatedAt,
            ExpiresAt = token.ExpiresAt,
            CreatedBy = token.CreatedBy,
            PurgeAfter = token.ExpiresAt,
        };

        public ApiToken ToToken() => new()
        {
            Id = Id,
            UserId = UserId,
            Description = Description,
            CreatedAt = CreatedAt,
            ExpiresAt = ExpiresAt,
            CreatedBy = CreatedBy,
        };
    }
}
